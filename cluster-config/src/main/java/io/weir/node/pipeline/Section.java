package io.weir.node.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * One mapping of a pipeline file, read key by key with the line of every key and value kept, so
 * that each problem is reported as {@code line N: 'key' under 'where' ...}. Not thread-safe.
 */
final class Section {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private final String where;
  private final Node node;
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

  private Section(String where, MappingNode node) {
    this.where = where;
    this.node = node;
    for (NodeTuple t : node.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        throw new PipelineFileException(line(t.getKeyNode()), "a key " + where
            + " must be a plain name, not a list or a mapping");
      }
      if (entries.put(key.getValue(), t) != null) {
        throw new PipelineFileException(line(key), "key '" + key.getValue() + "' appears twice "
            + where);
      }
    }
  }

  /**
   * A mapping node as a section.
   *
   * @param where how messages name it: "at the top level", "under 'source'"
   * @param node the node
   * @param what what it should be, for the message when it is not a mapping
   */
  static Section of(String where, Node node, String what) {
    if (!(node instanceof MappingNode m)) {
      throw new PipelineFileException(line(node), what + " must be a mapping of keys to values,"
          + " was " + describe(node));
    }
    return new Section(where, m);
  }

  /** The line of a node, from 1. */
  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }

  /** The line where this section starts. */
  int line() {
    return line(node);
  }

  /** How messages name this section. */
  String where() {
    return where;
  }

  /** Fails on the first key not among {@code allowed}, listing them. */
  Section allowOnly(Collection<String> allowed) {
    for (NodeTuple t : entries.values()) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (!allowed.contains(key)) {
        throw new PipelineFileException(line(t.getKeyNode()), "unknown key '" + key + "' "
            + where + "; expected one of " + String.join(", ", allowed));
      }
    }
    return this;
  }

  boolean has(String key) {
    return entries.containsKey(key);
  }

  /** The line of a key's value, or of this section when the key is absent. */
  int lineOf(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? line() : line(t.getValueNode());
  }

  private Node value(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? null : t.getValueNode();
  }

  private PipelineFileException missing(String key, String expected) {
    return new PipelineFileException(line(), "missing key '" + key + "' " + where + "; expected "
        + expected);
  }

  private PipelineFileException wrong(String key, Node value, String expected) {
    return new PipelineFileException(line(value), "'" + key + "' " + where + " must be "
        + expected + ", was " + describe(value));
  }

  /** A required scalar. */
  String string(String key, String expected) {
    return optString(key, expected).orElseThrow(() -> missing(key, expected));
  }

  /** An optional scalar. */
  Optional<String> optString(String key, String expected) {
    Node v = value(key);
    if (v == null) {
      return Optional.empty();
    }
    if (!(v instanceof ScalarNode s) || s.getValue().isBlank()) {
      throw wrong(key, v, expected);
    }
    return Optional.of(s.getValue().strip());
  }

  /** An optional string that must be one of {@code choices}, case-insensitive, lower-cased. */
  Optional<String> optChoice(String key, List<String> choices) {
    String expected = "one of " + String.join(", ", choices);
    Optional<String> v = optString(key, expected);
    if (v.isPresent() && !choices.contains(v.get().toLowerCase(Locale.ROOT))) {
      Node n = value(key);
      throw new PipelineFileException(line(n), "unknown " + key + " '" + v.get() + "' " + where
          + "; expected " + expected);
    }
    return v.map(s -> s.toLowerCase(Locale.ROOT));
  }

  /** An optional whole number within bounds. */
  Optional<Long> optLong(String key, long min, long max) {
    String expected = min == 1 && max == Long.MAX_VALUE ? "a positive whole number"
        : min == 0 && max == Long.MAX_VALUE ? "a whole number, 0 or more"
        : "a whole number from " + min + " to " + max;
    Optional<String> s = optString(key, expected);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    try {
      long v = Long.parseLong(s.get().replace("_", ""));
      if (v < min || v > max) {
        throw wrong(key, value(key), expected);
      }
      return Optional.of(v);
    } catch (NumberFormatException e) {
      throw wrong(key, value(key), expected);
    }
  }

  /** An optional duration: {@code 500ms}, {@code 5s}, {@code 1m}, {@code 2h}, {@code 1d}. */
  Optional<Duration> optDuration(String key) {
    String expected = "a duration such as 500ms, 5s, 1m or 1h";
    Optional<String> s = optString(key, expected);
    if (s.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = DURATION.matcher(s.get().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw wrong(key, value(key), expected);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "ms" : m.group(2);
    Duration d = switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
    if (d.isZero()) {
      throw wrong(key, value(key), "a positive duration such as 500ms, 5s, 1m or 1h");
    }
    return Optional.of(d);
  }

  /** A list of names: a YAML list of scalars, or one comma-separated scalar. Empty if absent. */
  List<String> names(String key) {
    Node v = value(key);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    String expected = "a list of names, such as [a, b] or \"a, b\"";
    if (v instanceof ScalarNode s) {
      // Commas inside parentheses belong to the name: bucket(16, id).
      for (String part : s.getValue().split(",(?![^(]*\\))")) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    } else if (v instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        if (!(item instanceof ScalarNode s) || s.getValue().isBlank()) {
          throw wrong(key, item, expected);
        }
        out.add(s.getValue().strip());
      }
    } else {
      throw wrong(key, v, expected);
    }
    if (out.isEmpty()) {
      throw wrong(key, v, expected);
    }
    return out;
  }

  /** A required nested mapping. */
  Section section(String key, String expected) {
    return optSection(key).orElseThrow(() -> missing(key, expected));
  }

  /** An optional nested mapping. */
  Optional<Section> optSection(String key) {
    Node v = value(key);
    return v == null ? Optional.empty()
        : Optional.of(of("under '" + key + "'", v, "'" + key + "' " + where));
  }

  /** An optional list of mappings (a single mapping counts as a list of one). */
  List<Section> sections(String key) {
    Node v = value(key);
    List<Section> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof MappingNode) {
      out.add(of("under '" + key + "'", v, "'" + key + "'"));
    } else if (v instanceof SequenceNode seq) {
      int i = 1;
      for (Node item : seq.getValue()) {
        out.add(of("under '" + key + "' item " + i, item, "item " + i + " of '" + key + "'"));
        i++;
      }
    } else {
      throw wrong(key, v, "a list of mappings");
    }
    return out;
  }

  /** An optional mapping of names to scalar values, in file order, with their lines. */
  Map<String, Scalar> scalars(String key) {
    Map<String, Scalar> out = new LinkedHashMap<>();
    Optional<Section> s = optSection(key);
    if (s.isEmpty()) {
      return out;
    }
    for (NodeTuple t : s.get().entries.values()) {
      String name = ((ScalarNode) t.getKeyNode()).getValue();
      if (!(t.getValueNode() instanceof ScalarNode v) || v.getValue().isBlank()) {
        boolean flow = s.get().node instanceof MappingNode m
            && m.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW;
        throw new PipelineFileException(line(t.getValueNode()), "'" + name + "' under '" + key
            + "' must be a text value, was " + describe(t.getValueNode())
            + (flow ? " (inside { } a comma ends an entry: quote a value that holds commas)"
                : ""));
      }
      out.put(name, new Scalar(v.getValue().strip(), line(v)));
    }
    if (out.isEmpty()) {
      throw wrong(key, value(key), "a mapping of column names to values");
    }
    return out;
  }

  /** A scalar and its line. */
  record Scalar(String value, int line) {}

  private static String describe(Node n) {
    if (n instanceof ScalarNode s) {
      return s.getValue().isBlank() ? "empty" : "'" + s.getValue() + "'";
    }
    return n instanceof SequenceNode ? "a list" : n instanceof MappingNode ? "a mapping"
        : "something else";
  }
}
