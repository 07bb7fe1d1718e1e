package io.weir.node.pipeline;

import java.util.List;
import java.util.SplittableRandom;

/**
 * One column of a generator source, written in a pipeline file as {@code name: KIND}:
 * <ul>
 *   <li>{@code sequence}: the row's index, 0, 1, 2, ... (a long);</li>
 *   <li>{@code long LOW..HIGH}: a whole number in the range (a long);</li>
 *   <li>{@code double LOW..HIGH}: a number in the range, two decimals (a double);</li>
 *   <li>{@code one-of A, B, C}: one of the texts (a string);</li>
 *   <li>{@code text}: the column's name and the index, {@code name-17} (a string);</li>
 *   <li>{@code boolean}: true or false (a boolean).</li>
 * </ul>
 * Values are pseudo-random but fixed by the index and the column, so a generator rewound to a
 * checkpoint produces the same rows again.
 *
 * @param name the column
 * @param kind sequence, long, double, one-of, text or boolean
 * @param low the range's low end (long, double)
 * @param high the range's high end (long, double)
 * @param choices the texts of one-of; empty otherwise
 */
public record GeneratedColumn(String name, String kind, double low, double high,
    List<String> choices) {
  /** What a column's value is written as. */
  static final String EXPECTED = "sequence, long LOW..HIGH, double LOW..HIGH, one-of A, B, C,"
      + " text or boolean";

  /** Copies. */
  public GeneratedColumn {
    choices = List.copyOf(choices);
  }

  /**
   * Parses a column's kind.
   *
   * @param name the column
   * @param spec as written after the column's name
   * @return the column
   * @throws IllegalArgumentException when it is none of the kinds
   */
  public static GeneratedColumn parse(String name, String spec) {
    String s = spec.strip();
    String word = s.split("\\s+", 2)[0].toLowerCase(java.util.Locale.ROOT);
    String rest = s.length() > word.length() ? s.substring(word.length()).strip() : "";
    switch (word) {
      case "sequence", "text", "boolean" -> {
        if (!rest.isEmpty()) {
          throw new IllegalArgumentException(word + " takes nothing after it");
        }
        return new GeneratedColumn(name, word, 0, 0, List.of());
      }
      case "long", "double" -> {
        String[] range = rest.split("\\.\\.");
        if (range.length != 2) {
          throw new IllegalArgumentException(word + " needs a range LOW..HIGH");
        }
        try {
          double low = Double.parseDouble(range[0].strip());
          double high = Double.parseDouble(range[1].strip());
          if (low > high || word.equals("long") && (low != Math.rint(low)
              || high != Math.rint(high))) {
            throw new IllegalArgumentException(word + " needs a range LOW..HIGH with LOW <= HIGH"
                + (word.equals("long") ? ", whole numbers" : ""));
          }
          return new GeneratedColumn(name, word, low, high, List.of());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(word + " needs a range of numbers LOW..HIGH");
        }
      }
      case "one-of" -> {
        List<String> choices = java.util.Arrays.stream(rest.split(",")).map(String::strip)
            .filter(c -> !c.isEmpty()).toList();
        if (choices.isEmpty()) {
          throw new IllegalArgumentException("one-of needs texts, comma-separated");
        }
        return new GeneratedColumn(name, word, 0, 0, choices);
      }
      default -> throw new IllegalArgumentException("unknown kind '" + word + "'");
    }
  }

  /** The Iceberg type of the values: long, double, string or boolean. */
  public String type() {
    return switch (kind) {
      case "sequence", "long" -> "long";
      case "double" -> "double";
      case "boolean" -> "boolean";
      default -> "string";
    };
  }

  /** The value at a row's index. */
  public Object value(long index) {
    SplittableRandom random = new SplittableRandom(index * 1_000_003L + name.hashCode());
    return switch (kind) {
      case "sequence" -> index;
      case "long" -> (long) low + (long) (random.nextDouble() * ((long) high - (long) low + 1));
      case "double" -> Math.round((low + random.nextDouble() * (high - low)) * 100) / 100.0;
      case "one-of" -> choices.get(random.nextInt(choices.size()));
      case "boolean" -> random.nextBoolean();
      default -> name + "-" + index;
    };
  }
}
