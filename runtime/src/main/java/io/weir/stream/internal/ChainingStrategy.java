package io.weir.stream.internal;

/** Whether an operator may join the chain of the operator before it, and others join its own. */
public enum ChainingStrategy {
  /** Chain both ways where the chaining rules allow: the default. */
  ALWAYS,
  /** Start a new chain here ({@code startNewChain()}); later operators may chain to it. */
  HEAD,
  /** No chaining before or after ({@code disableChaining()}). */
  NEVER
}
