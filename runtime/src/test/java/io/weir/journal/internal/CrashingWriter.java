package io.weir.journal.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A child-process program for {@link ProcessCrashTest}: appends frames to one partition under
 * {@code fsync = always} forever, printing {@code ACK n} after write {@code n} is acknowledged,
 * until it is killed.
 */
public final class CrashingWriter {
  private CrashingWriter() {}

  /**
   * Runs the writer.
   *
   * @param args the journal directory and the persistence id
   * @throws Exception if a write fails
   */
  public static void main(String[] args) throws Exception {
    JournalSettings settings = new JournalSettings(Path.of(args[0]), 64 * 1024,
        FsyncPolicy.ALWAYS, Duration.ofMillis(100), 1024);
    SegmentStore store = SegmentStore.open(settings);
    byte[] payload = new byte[3000];
    for (long seqNr = 1; ; seqNr++) {
      payload[(int) (seqNr % payload.length)] = (byte) seqNr;
      StoredEvent event = new StoredEvent(seqNr, seqNr, "crash", "", 4, "", payload.clone());
      store.write(List.of(new EncodedWrite(args[1], seqNr, seqNr,
          FrameCodec.encode(List.of(event))))).get();
      System.out.println("ACK " + seqNr);
      System.out.flush();
    }
  }
}
