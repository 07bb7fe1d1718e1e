package io.weir.benchmarks.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void sameSeedSameRecords() {
    Workload a = Workload.generate(42, 1000);
    Workload b = Workload.generate(42, 1000);
    for (int i = 0; i < 1000; i++) {
      assertArrayEquals(a.key(i), b.key(i));
      assertArrayEquals(a.value(i), b.value(i));
    }
    assertEquals(a.expected(), b.expected());
    assertEquals(Workload.VALUE_BYTES, a.value(0).length);
  }

  @Test
  void withoutKeysKeepsTheValues() {
    Workload keyed = Workload.generate(7, 100);
    Workload unkeyed = keyed.withoutKeys();
    assertNull(unkeyed.key(5));
    assertArrayEquals(keyed.value(5), unkeyed.value(5));
    assertNotEquals(keyed.expected(), unkeyed.expected());
  }

  @Test
  void digestIsOrderIndependentButSeesLossDuplicationAndChange() {
    Workload w = Workload.generate(1, 100);
    Digest.Builder reversed = new Digest.Builder();
    for (int i = 99; i >= 0; i--) {
      reversed.add(w.key(i), w.value(i));
    }
    assertEquals(w.expected(), reversed.build());

    Digest.Builder duplicated = new Digest.Builder();
    Digest.Builder altered = new Digest.Builder();
    for (int i = 0; i < 100; i++) {
      duplicated.add(w.key(i == 99 ? 98 : i), w.value(i == 99 ? 98 : i));
      byte[] value = w.value(i).clone();
      if (i == 50) {
        value[0] ^= 1;
      }
      altered.add(w.key(i), value);
    }
    assertNotEquals(w.expected(), duplicated.build());
    assertNotEquals(w.expected(), altered.build());
    assertNotEquals(w.expected(), w.head(99).expected());
  }
}
