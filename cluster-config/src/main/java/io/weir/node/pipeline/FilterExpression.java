package io.weir.node.pipeline;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A row filter written as a SQL {@code WHERE} condition: column names, literals (numbers,
 * {@code 'text'}, {@code true}, {@code false}, {@code null}), comparisons ({@code = == != <> < <=
 * > >=}), {@code IS [NOT] NULL}, {@code [NOT] IN (...)}, {@code AND}, {@code OR}, {@code NOT} and
 * parentheses. Evaluated as SQL does: a comparison with a null is unknown, and a row passes only
 * when the condition is true. Numbers compare by value whatever their Java type; a number and a
 * text compare as texts. Immutable and thread-safe.
 */
public final class FilterExpression {
  private final String text;
  private final Node root;
  private final Set<String> columns;

  private FilterExpression(String text, Node root, Set<String> columns) {
    this.text = text;
    this.root = root;
    this.columns = Set.copyOf(columns);
  }

  /**
   * Parses a condition.
   *
   * @param text the condition, never null
   * @return the filter
   * @throws IllegalArgumentException naming the position and what was expected
   */
  public static FilterExpression parse(String text) {
    Parser p = new Parser(Objects.requireNonNull(text, "text"));
    Node root = p.or();
    if (p.peek().kind != Kind.END) {
      throw p.error("AND, OR or the end of the condition");
    }
    return new FilterExpression(text, root, p.columns);
  }

  /** Whether the row passes: the condition is true (not false, not unknown). */
  public boolean test(Map<String, Object> row) {
    return Boolean.TRUE.equals(root.eval(row));
  }

  /** The column names the condition reads. */
  public Set<String> columns() {
    return columns;
  }

  @Override
  public String toString() {
    return text;
  }

  private sealed interface Node {
    /** TRUE, FALSE, null (unknown) for conditions; a value for operands. */
    Object eval(Map<String, Object> row);
  }

  private record Literal(Object value) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      return value;
    }
  }

  private record Column(String name) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      return row.get(name);
    }
  }

  private record Not(Node inner) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      Boolean b = truth(inner.eval(row));
      return b == null ? null : !b;
    }
  }

  private record And(Node left, Node right) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      Boolean l = truth(left.eval(row));
      if (Boolean.FALSE.equals(l)) {
        return false;
      }
      Boolean r = truth(right.eval(row));
      return Boolean.FALSE.equals(r) ? Boolean.FALSE : l == null || r == null ? null : true;
    }
  }

  private record Or(Node left, Node right) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      Boolean l = truth(left.eval(row));
      if (Boolean.TRUE.equals(l)) {
        return true;
      }
      Boolean r = truth(right.eval(row));
      return Boolean.TRUE.equals(r) ? Boolean.TRUE : l == null || r == null ? null : false;
    }
  }

  private record IsNull(Node operand, boolean negated) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      return (operand.eval(row) == null) != negated;
    }
  }

  private record In(Node operand, List<Node> values, boolean negated) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      Object v = operand.eval(row);
      if (v == null) {
        return null;
      }
      for (Node n : values) {
        Object w = n.eval(row);
        if (w != null && compare(v, w) == 0) {
          return !negated;
        }
      }
      return negated;
    }
  }

  private record Comparison(Node left, String op, Node right) implements Node {
    @Override
    public Object eval(Map<String, Object> row) {
      Object l = left.eval(row);
      Object r = right.eval(row);
      if (l == null || r == null) {
        return null;
      }
      int c = compare(l, r);
      return switch (op) {
        case "=", "==" -> c == 0;
        case "!=", "<>" -> c != 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        case ">" -> c > 0;
        default -> c >= 0;
      };
    }
  }

  /** A value as a condition: booleans as they are, the texts true/false, null unknown. */
  private static Boolean truth(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = v.toString();
    if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(s);
    }
    throw new IllegalArgumentException("the value " + s + " is not true or false");
  }

  private static int compare(Object l, Object r) {
    BigDecimal a = number(l);
    BigDecimal b = number(r);
    if (a != null && b != null) {
      return a.compareTo(b);
    }
    if (l instanceof Boolean || r instanceof Boolean) {
      return String.valueOf(l).equalsIgnoreCase(String.valueOf(r)) ? 0 : 1;
    }
    return String.valueOf(l).compareTo(String.valueOf(r));
  }

  private static BigDecimal number(Object v) {
    if (v instanceof BigDecimal d) {
      return d;
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())
        || v instanceof Float f && (f.isNaN() || f.isInfinite())) {
      return null;
    }
    if (v instanceof Number n) {
      return v instanceof Double || v instanceof Float ? BigDecimal.valueOf(n.doubleValue())
          : new BigDecimal(n.toString());
    }
    if (v instanceof String s) {
      try {
        return new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private enum Kind { NAME, NUMBER, TEXT, OP, LPAREN, RPAREN, COMMA, END }

  private record Token(Kind kind, String text, int position) {
    boolean isWord(String word) {
      return kind == Kind.NAME && text.equalsIgnoreCase(word);
    }
  }

  /** Recursive descent over tokens; positions from 1 for messages. */
  private static final class Parser {
    private final String text;
    private final List<Token> tokens = new ArrayList<>();
    private final Set<String> columns = new LinkedHashSet<>();
    private int next;

    Parser(String text) {
      this.text = text;
      tokenize();
    }

    private void tokenize() {
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (Character.isLetter(c) || c == '_') {
          int start = i;
          while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
              || text.charAt(i) == '_' || text.charAt(i) == '.')) {
            i++;
          }
          tokens.add(new Token(Kind.NAME, text.substring(start, i), start + 1));
        } else if (c == '`' || c == '"') {
          int end = text.indexOf(c, i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("at position " + (i + 1) + ": the quoted name is"
                + " not closed; expected " + c);
          }
          tokens.add(new Token(Kind.NAME, text.substring(i + 1, end), i + 1));
          i = end + 1;
        } else if (Character.isDigit(c) || (c == '-' || c == '.') && i + 1 < text.length()
            && Character.isDigit(text.charAt(i + 1)) && startsOperand()) {
          int start = i;
          i++;
          while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.'
              || text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
          }
          tokens.add(new Token(Kind.NUMBER, text.substring(start, i), start + 1));
        } else if (c == '\'') {
          StringBuilder s = new StringBuilder();
          int start = i;
          i++;
          while (true) {
            if (i >= text.length()) {
              throw new IllegalArgumentException("at position " + (start + 1) + ": the text is"
                  + " not closed; expected '");
            }
            if (text.charAt(i) == '\'') {
              if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                s.append('\'');
                i += 2;
                continue;
              }
              i++;
              break;
            }
            s.append(text.charAt(i++));
          }
          tokens.add(new Token(Kind.TEXT, s.toString(), start + 1));
        } else if (c == '(') {
          tokens.add(new Token(Kind.LPAREN, "(", ++i));
        } else if (c == ')') {
          tokens.add(new Token(Kind.RPAREN, ")", ++i));
        } else if (c == ',') {
          tokens.add(new Token(Kind.COMMA, ",", ++i));
        } else {
          String two = i + 1 < text.length() ? text.substring(i, i + 2) : "";
          if (List.of("==", "!=", "<>", "<=", ">=").contains(two)) {
            tokens.add(new Token(Kind.OP, two, i + 1));
            i += 2;
          } else if (c == '=' || c == '<' || c == '>') {
            tokens.add(new Token(Kind.OP, String.valueOf(c), ++i));
          } else {
            throw new IllegalArgumentException("at position " + (i + 1) + ": unexpected '" + c
                + "'; expected a column, a literal, a comparison, AND, OR, NOT or parentheses");
          }
        }
      }
      tokens.add(new Token(Kind.END, "", text.length() + 1));
    }

    /** Whether a '-' here starts a number (not after an operand). */
    private boolean startsOperand() {
      if (tokens.isEmpty()) {
        return true;
      }
      Kind k = tokens.get(tokens.size() - 1).kind;
      return k == Kind.OP || k == Kind.LPAREN || k == Kind.COMMA
          || k == Kind.NAME && List.of("and", "or", "not", "in")
              .contains(tokens.get(tokens.size() - 1).text.toLowerCase(Locale.ROOT));
    }

    Token peek() {
      return tokens.get(next);
    }

    IllegalArgumentException error(String expected) {
      Token t = peek();
      return new IllegalArgumentException("at position " + t.position + ": "
          + (t.kind == Kind.END ? "the condition ends" : "unexpected '" + t.text + "'")
          + "; expected " + expected);
    }

    Node or() {
      Node left = and();
      while (peek().isWord("or")) {
        next++;
        left = new Or(left, and());
      }
      return left;
    }

    Node and() {
      Node left = not();
      while (peek().isWord("and")) {
        next++;
        left = new And(left, not());
      }
      return left;
    }

    Node not() {
      if (peek().isWord("not")) {
        next++;
        return new Not(not());
      }
      return comparison();
    }

    Node comparison() {
      Node left = operand();
      Token t = peek();
      if (t.kind == Kind.OP) {
        next++;
        return new Comparison(left, t.text, operand());
      }
      if (t.isWord("is")) {
        next++;
        boolean negated = false;
        if (peek().isWord("not")) {
          next++;
          negated = true;
        }
        if (!peek().isWord("null")) {
          throw error("NULL");
        }
        next++;
        return new IsNull(left, negated);
      }
      boolean negated = false;
      if (t.isWord("not") && tokens.get(next + 1).isWord("in")) {
        next++;
        negated = true;
      }
      if (peek().isWord("in")) {
        next++;
        if (peek().kind != Kind.LPAREN) {
          throw error("( after IN");
        }
        next++;
        List<Node> values = new ArrayList<>();
        values.add(operand());
        while (peek().kind == Kind.COMMA) {
          next++;
          values.add(operand());
        }
        if (peek().kind != Kind.RPAREN) {
          throw error(", or )");
        }
        next++;
        return new In(left, values, negated);
      }
      return left;
    }

    Node operand() {
      Token t = peek();
      switch (t.kind) {
        case NUMBER -> {
          next++;
          try {
            return new Literal(new BigDecimal(t.text));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("at position " + t.position + ": '" + t.text
                + "' is not a number");
          }
        }
        case TEXT -> {
          next++;
          return new Literal(t.text);
        }
        case LPAREN -> {
          next++;
          Node inner = or();
          if (peek().kind != Kind.RPAREN) {
            throw error(")");
          }
          next++;
          return inner;
        }
        case NAME -> {
          String word = t.text.toLowerCase(Locale.ROOT);
          if (List.of("and", "or", "not", "is", "in").contains(word)) {
            throw error("a column or a literal");
          }
          next++;
          if (word.equals("true") || word.equals("false")) {
            return new Literal(Boolean.parseBoolean(word));
          }
          if (word.equals("null")) {
            return new Literal(null);
          }
          columns.add(t.text);
          return new Column(t.text);
        }
        default -> throw error("a column or a literal");
      }
    }
  }
}
