package io.weir.stream.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.stream.WordCount;
import io.weir.stream.api.NullKeyException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeyGroupsTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 7, 128, 1000})
  void rangesCoverEveryKeyGroupOnceForEveryParallelism(int maxParallelism) {
    for (int p = 1; p <= maxParallelism; p++) {
      int next = 0;
      for (int i = 0; i < p; i++) {
        KeyGroupRange range = KeyGroupRange.forSubtask(maxParallelism, p, i);
        assertEquals(next, range.start(), "max " + maxParallelism + " p " + p + " subtask " + i);
        assertTrue(range.size() >= 1);
        for (int kg = range.start(); kg <= range.end(); kg++) {
          assertEquals(i, KeyGroups.subtaskOf(kg, maxParallelism, p));
        }
        next = range.end() + 1;
      }
      assertEquals(maxParallelism, next, "max " + maxParallelism + " p " + p);
    }
  }

  @Test
  void assignmentIsStable() {
    // Pinned: a change here would move every key's state to another key group. The values were
    // checked once against Guava's murmur3_32_fixed().hashInt, made non-negative as Flink does.
    assertEquals(List.of(35, 66, 29, 29, 94),
        List.of(KeyGroups.assign("hello", 128), KeyGroups.assign("world", 128),
            KeyGroups.assign(42, 128), KeyGroups.assign(42L, 128), KeyGroups.assign(0, 128)));
    for (int key = -1000; key < 1000; key++) {
      int kg = KeyGroups.assign(key, 128);
      assertTrue(kg >= 0 && kg < 128);
      assertEquals(kg, KeyGroups.assign(Integer.valueOf(key), 128));
    }
  }

  @Test
  void theMixIsMurmur3OfTheInt() {
    assertEquals(1085422463, KeyGroups.murmurMix(2));
  }

  @Test
  void consecutiveKeysSpreadEvenly() {
    int[] counts = new int[128];
    for (int key = 0; key < 128_000; key++) {
      counts[KeyGroups.assign(key, 128)]++;
    }
    for (int c : counts) {
      assertTrue(c > 800 && c < 1200, "a key group got " + c + " of about 1000 keys");
    }
  }

  @Test
  void outOfRangeArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> KeyGroupRange.forSubtask(8, 9, 0));
    assertThrows(IllegalArgumentException.class, () -> KeyGroupRange.forSubtask(8, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> KeyGroups.subtaskOf(8, 8, 2));
    assertThrows(IllegalArgumentException.class, () -> KeyGroups.assign("k", 0));
  }

  @Test
  void theKeyRouterOfAHashEdgeRoutesByKeyGroupAndRejectsANullKey() throws Exception {
    PlannedJob job = JobPlanner.plan(new WordCount(), List.of("4"));
    JobEdge hash = job.jobGraph().inputsOf("3-count").get(0);
    KeyRouter<String> router = job.keyRouter(hash);

    int kg = KeyGroups.assign("question", 128);
    assertEquals(kg, router.keyGroupOf("question"));
    assertEquals(KeyGroups.subtaskOf(kg, 128, 4), router.subtaskOf("question"));
    assertTrue(job.jobGraph().keyGroupRange("3-count", router.subtaskOf("question"))
        .contains(kg));

    KeyRouter<String> nullKeys = new KeyRouter<>("'Tokenize' -> 'Count'", w -> null, 128, 4);
    NullKeyException e = assertThrows(NullKeyException.class, () -> nullKeys.subtaskOf("be"));
    assertEquals("the key selector of the exchange 'Tokenize' -> 'Count' returned null for the"
        + " record be; every record needs a key: filter or default such records before keyBy",
        e.getMessage());
  }
}
