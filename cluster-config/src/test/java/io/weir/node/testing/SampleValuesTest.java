package io.weir.node.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The test-support sample builder and value equality that the serialization guard relies on. */
class SampleValuesTest {
  record Leaf(String name, byte[] bytes) {}

  record Nested(List<Optional<Map<String, Leaf>>> deep, SampleMessages.Shape shape) {}

  record Tree(String label, List<Tree> children) {}

  record WithTask(Runnable task) {}

  record Checked(int positive) {
    Checked {
      if (positive < 1000) {
        throw new IllegalArgumentException("too small");
      }
    }
  }

  private final SampleValues samples = SampleValues.create();

  @Test
  void fillsNestedGenericComponentsAndPicksAPermittedSubtype() {
    Nested nested = samples.sampleOf(Nested.class);
    Leaf leaf = nested.deep().get(0).orElseThrow().values().iterator().next();
    assertEquals("sample", leaf.name());
    assertEquals(1, leaf.bytes().length);
    assertInstanceOf(SampleMessages.Circle.class, nested.shape());
  }

  @Test
  void recursiveRecordsEndWithEmptyCollections() {
    Tree tree = samples.sampleOf(Tree.class);
    int depth = 0;
    while (!tree.children().isEmpty()) {
      tree = tree.children().get(0);
      depth++;
    }
    assertTrue(depth > 0 && depth < 10, "depth " + depth);
  }

  @Test
  void aComponentThatCannotBeBuiltIsNamedWithItsPath() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> samples.sampleOf(WithTask.class));
    assertTrue(e.getMessage().contains("java.lang.Runnable at WithTask.task"), e.getMessage());
    IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
        () -> samples.sampleOf(Checked.class));
    assertTrue(rejected.getMessage().contains("constructor rejected"), rejected.getMessage());
  }

  @Test
  void aRegisteredSampleFillsItsTypeAndSubtypes() {
    Runnable task = () -> { };
    WithTask withTask = samples.withSample(Runnable.class, () -> task).sampleOf(WithTask.class);
    assertEquals(task, withTask.task());
    SampleValues specific = samples.withSample(Object.class, () -> "any")
        .withSample(CharSequence.class, () -> "chars");
    assertEquals("chars", specific.sampleOf(CharSequence.class));
  }

  @Test
  void valueEqualityComparesArraysInsideRecordsByContent() {
    Leaf a = new Leaf("x", new byte[] {1, 2});
    Leaf b = new Leaf("x", new byte[] {1, 2});
    assertFalse(a.equals(b), "records compare arrays by identity");
    assertTrue(ValueEquality.equivalent(a, b));
    assertTrue(ValueEquality.equivalent(List.of(Optional.of(a)), List.of(Optional.of(b))));
    assertFalse(ValueEquality.equivalent(a, new Leaf("x", new byte[] {1, 3})));
    assertFalse(ValueEquality.equivalent(a, null));
    assertArrayEquals(a.bytes(), b.bytes());
  }
}
