package io.weir.benchmarks.log;

/** When a side acknowledges a write; both sides of a comparison run with the same. */
public enum Durability {
  /** Acknowledged once the write reaches the operating system (its page cache), no fsync. */
  OS("os", "acknowledged after the write reaches the OS page cache (no fsync)"),
  /** Acknowledged only after the write was forced to the device with fsync. */
  FSYNC("fsync", "acknowledged after fsync");

  private final String label;
  private final String meaning;

  Durability(String label, String meaning) {
    this.label = label;
    this.meaning = meaning;
  }

  /** The short name used in figure names and on the command line ({@code os}, {@code fsync}). */
  public String label() {
    return label;
  }

  /** What the mode guarantees, in words. */
  public String meaning() {
    return meaning;
  }

  /** The mode named {@code label}; throws {@link IllegalArgumentException} for another name. */
  public static Durability parse(String label) {
    for (Durability d : values()) {
      if (d.label.equalsIgnoreCase(label.trim())) {
        return d;
      }
    }
    throw new IllegalArgumentException("unknown durability '" + label + "': expected os or fsync");
  }
}
