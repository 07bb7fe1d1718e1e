package io.weir.benchmarks.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench cdc} end to end at a small size: both sides, each in its own JVM, see every row
 * of the snapshot and every streamed change, with equal checksums. Timings are not checked.
 */
class CdcBenchTest {

  @Test
  void bothSidesSeeEveryRowAndEveryChange() throws Exception {
    long seed = System.nanoTime();
    System.out.println("seed " + seed);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CdcBench.Outcome outcome = CdcBench.run(new CdcBench.Settings(3_000, 2_000, 1, seed),
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.println(output);

    List<CdcBench.Run> runs = outcome.runs();
    assertEquals(8, runs.size(), "two rounds, two phases, two sides: " + runs);
    for (CdcBench.Run run : runs) {
      assertEquals(run.expected(), run.count(), run.toString());
      if (run.phase().equals("snapshot")) {
        assertEquals(3_000, run.count(), run.toString());
      } else {
        assertTrue(run.count() >= 2_000, run.toString());
      }
    }
    for (String phase : List.of("snapshot", "stream")) {
      for (int round = 0; round <= 1; round++) {
        int r = round;
        List<Long> checksums = runs.stream()
            .filter(run -> run.phase().equals(phase) && run.round() == r)
            .map(CdcBench.Run::checksum).toList();
        assertEquals(2, checksums.size());
        assertEquals(checksums.get(0), checksums.get(1), phase + " of round " + round);
      }
    }
    assertTrue(output.contains("RESULT cdc-snapshot-rows-per-s weir="), output);
    assertTrue(output.contains("RESULT cdc-streaming-events-per-s weir="), output);
  }
}
