package io.weir.journal.internal;

import java.util.Locale;

/**
 * When the segment journal forces written bytes to the storage device, relative to when it
 * acknowledges the write.
 */
public enum FsyncPolicy {
  /**
   * Every write is fsynced before it is acknowledged. The writer forces each file it touched
   * once per drained group, so concurrent writes share the cost of one fsync per file.
   */
  ALWAYS,
  /**
   * Writes are acknowledged after the OS write; dirty files are forced every {@code
   * fsync-interval}. A machine crash may lose up to one interval of acknowledged writes; a
   * process crash loses nothing.
   */
  INTERVAL,
  /**
   * Writes are acknowledged after the OS write and never forced by the journal (the OS flushes
   * when it likes). Only for data that can be rebuilt.
   */
  NEVER;

  /**
   * Parses the configuration value of {@code fsync}.
   *
   * @param value {@code always}, {@code interval} or {@code never} (any case), never null
   * @return the policy, never null
   * @throws IllegalArgumentException if the value names no policy
   */
  public static FsyncPolicy parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "always" -> ALWAYS;
      case "interval" -> INTERVAL;
      case "never" -> NEVER;
      default -> throw new IllegalArgumentException(
          "fsync = \"" + value + "\" is not a policy; use always, interval or never");
    };
  }
}
