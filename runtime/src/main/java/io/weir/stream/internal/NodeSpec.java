package io.weir.stream.internal;

/** A node while the job is being defined: settings change until the graph is frozen. */
final class NodeSpec {
  final int id;
  final OperatorKind kind;
  final Object operator;
  final boolean nonParallel;
  String name;
  Integer parallelism;
  ChainingStrategy chaining;

  NodeSpec(int id, OperatorKind kind, String name, Object operator, boolean nonParallel) {
    this.id = id;
    this.kind = kind;
    this.name = name;
    this.operator = operator;
    this.nonParallel = nonParallel;
    // A source has no input to chain to, so HEAD and ALWAYS differ only for the operators after.
    this.chaining = ChainingStrategy.ALWAYS;
  }

  void rename(String newName) {
    if (newName == null || newName.isBlank()) {
      throw new IllegalArgumentException("an operator's name must not be null or blank");
    }
    this.name = newName;
  }

  StreamNode freeze() {
    return new StreamNode(id, kind, name, parallelism, chaining, nonParallel, operator);
  }
}
