package io.weir.node.pipeline;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which tables a transform or a route applies to, matched against a record's table name
 * ({@code schema.table}, or the topic's name for a log source). Written as a glob, where
 * {@code *} stands for any run of characters and every other character for itself
 * ({@code public.*}, {@code *.orders}, {@code *}); or, when it holds any of
 * {@code \ ( ) [ ] { } + ? | ^ $}, as a Java regular expression matching the whole name
 * ({@code public\.order_\d+}), as Flink CDC's routes are.
 *
 * @param text as written
 * @param regex what it matches
 */
public record TablePattern(String text, Pattern regex) {
  private static final String REGEX_CHARACTERS = "\\()[]{}+?|^$";

  /**
   * Parses a pattern.
   *
   * @param text a glob or a regular expression
   * @return the pattern
   * @throws IllegalArgumentException when a regular expression does not compile
   */
  public static TablePattern of(String text) {
    boolean regex = text.chars().anyMatch(c -> REGEX_CHARACTERS.indexOf(c) >= 0);
    if (regex) {
      try {
        return new TablePattern(text, Pattern.compile(text));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("not a valid regular expression: "
            + e.getDescription());
      }
    }
    StringBuilder glob = new StringBuilder();
    for (String part : text.split("\\*", -1)) {
      if (!glob.isEmpty()) {
        glob.append(".*");
      }
      glob.append(Pattern.quote(part));
    }
    return new TablePattern(text, Pattern.compile(glob.toString()));
  }

  /** Whether the pattern matches the whole table name. */
  public boolean matches(String table) {
    return regex.matcher(table).matches();
  }

  /** Whether this matches exactly one name, itself (no wildcard). */
  public boolean isLiteral() {
    return regex.pattern().equals(Pattern.quote(text));
  }
}
