package io.weir.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, Report.median(List.of(3.0, 1.0, 2.0)));
    assertEquals(2.5, Report.median(List.of(4.0, 1.0, 2.0, 3.0)));
  }

  @Test
  void ratiosAreBiggerIsBetterForWeir() {
    Report report = new Report("log");
    report.add("produce", "records/s", Report.Better.HIGHER, 0, 200, 100);
    report.add("produce", "records/s", Report.Better.HIGHER, 0, 300, 100);
    report.add("produce", "records/s", Report.Better.HIGHER, 0, 100, 100);
    report.add("p99", "ms", Report.Better.LOWER, 2, 10, 20);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    report.printResults(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("""
        RESULT log-produce weir=200 peer=100 ratio=2.00 unit=records/s
        RESULT log-p99 weir=10.00 peer=20.00 ratio=2.00 unit=ms
        """, bytes.toString(StandardCharsets.UTF_8));
  }
}
