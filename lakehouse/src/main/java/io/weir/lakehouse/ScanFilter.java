package io.weir.lakehouse;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expression.Operation;
import org.apache.iceberg.expressions.ExpressionVisitors;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.expressions.UnboundPredicate;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Parses a row filter written like SQL's {@code WHERE} clause into an Iceberg
 * {@link Expression} for a table's schema, so that a scan can prune files and filter rows:
 *
 * <pre>{@code
 * id >= 100 AND (owner = 'ann' OR owner IS NULL) AND NOT region IN ('eu', 'us')
 * ts < '2026-11-24T10:00:00' AND amount > 9.99 AND active = true
 * }</pre>
 *
 * <p>Comparisons {@code = != <> < <= > >=}, {@code IS [NOT] NULL}, {@code [NOT] IN (v, ...)},
 * {@code AND}, {@code OR}, {@code NOT} and parentheses; keywords in any case. Columns are names
 * (dotted for nested fields) or {@code "quoted"}. Values are typed by their column: numbers for
 * numeric columns, {@code true}/{@code false} for booleans, {@code 'quoted strings'} (a quote
 * doubled inside) for strings and for dates ({@code '2026-11-24'}), times, timestamps
 * ({@code '2026-11-24T10:00:00'}, with an offset for {@code timestamptz}), decimals and UUIDs.
 *
 * <p>As in SQL, a comparison or {@code IN} with a null column keeps no row, and neither does its
 * negation ({@code NOT id < 5} skips rows whose {@code id} is null); only {@code IS NULL}
 * finds them.
 *
 * <p>Errors are {@link IllegalArgumentException}s naming the 1-based character position and
 * what was expected, such as {@code unknown column 'x' at 1} or
 * {@code expected a value after '>=' at 14}. Stateless and thread-safe.
 */
public final class ScanFilter {
  private final String text;
  private final Schema schema;
  private final List<Token> tokens;
  private int next;

  private enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, SYMBOL, END }

  private record Token(Kind kind, String text, int position) {
    boolean is(String keyword) {
      return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    boolean isSymbol(String symbol) {
      return kind == Kind.SYMBOL && text.equals(symbol);
    }

    String describe() {
      return switch (kind) {
        case END -> "the end";
        case STRING -> "'" + text.replace("'", "''") + "'";
        case QUOTED_NAME -> "\"" + text + "\"";
        default -> "'" + text + "'";
      };
    }
  }

  private ScanFilter(String text, Schema schema) {
    this.text = text;
    this.schema = schema;
    this.tokens = tokenize(text);
  }

  /**
   * Parses a filter for a schema.
   *
   * @param filter the filter text, never null; blank means every row
   * @param schema the table's schema, never null
   * @return the unbound expression, to pass to a scan's {@code filter}/{@code where}
   * @throws IllegalArgumentException naming the position and what was expected
   */
  public static Expression parse(String filter, Schema schema) {
    if (filter.isBlank()) {
      return Expressions.alwaysTrue();
    }
    ScanFilter parser = new ScanFilter(filter, schema);
    Expression e = parser.or();
    Token end = parser.peek();
    if (end.kind() != Kind.END) {
      throw parser.error("expected AND, OR or the end", end);
    }
    // SQL's three-valued logic: a comparison with a null column is unknown and keeps no row,
    // negated or not. Iceberg's row evaluator orders nulls first instead (null < 5 is true), so
    // NOT is pushed down to the predicates and each comparison gains "column is not null".
    return ExpressionVisitors.visit(Expressions.rewriteNot(e), new NullsFail());
  }

  private static final class NullsFail extends ExpressionVisitors.ExpressionVisitor<Expression> {
    @Override
    public Expression alwaysTrue() {
      return Expressions.alwaysTrue();
    }

    @Override
    public Expression alwaysFalse() {
      return Expressions.alwaysFalse();
    }

    @Override
    public Expression not(Expression result) {
      return Expressions.not(result);
    }

    @Override
    public Expression and(Expression left, Expression right) {
      return Expressions.and(left, right);
    }

    @Override
    public Expression or(Expression left, Expression right) {
      return Expressions.or(left, right);
    }

    @Override
    public <T> Expression predicate(UnboundPredicate<T> pred) {
      return switch (pred.op()) {
        case IS_NULL, NOT_NULL, IS_NAN, NOT_NAN -> pred;
        default -> Expressions.and(pred, Expressions.notNull(pred.ref().name()));
      };
    }
  }

  private Expression or() {
    Expression left = and();
    while (peek().is("OR")) {
      next++;
      left = Expressions.or(left, and());
    }
    return left;
  }

  private Expression and() {
    Expression left = not();
    while (peek().is("AND")) {
      next++;
      left = Expressions.and(left, not());
    }
    return left;
  }

  private Expression not() {
    if (peek().is("NOT")) {
      next++;
      return Expressions.not(not());
    }
    if (peek().isSymbol("(")) {
      next++;
      Expression inner = or();
      expectSymbol(")", "')'");
      return inner;
    }
    return predicate();
  }

  private Expression predicate() {
    Token column = take();
    if (column.kind() != Kind.WORD && column.kind() != Kind.QUOTED_NAME
        || column.kind() == Kind.WORD && isKeyword(column.text())) {
      throw error("expected a column name", column);
    }
    Types.NestedField field = schema.findField(column.text());
    if (field == null) {
      throw new IllegalArgumentException("unknown column '" + column.text() + "' at "
          + column.position() + " (columns: " + String.join(", ",
              schema.columns().stream().map(Types.NestedField::name).toList()) + ")");
    }
    String name = column.text();
    Token op = take();
    if (op.is("IS")) {
      boolean negated = peek().is("NOT");
      if (negated) {
        next++;
      }
      Token nullWord = take();
      if (!nullWord.is("NULL")) {
        throw error("expected NULL after '" + (negated ? "IS NOT" : "IS") + "'", nullWord);
      }
      return negated ? Expressions.notNull(name) : Expressions.isNull(name);
    }
    boolean notIn = op.is("NOT");
    if (notIn) {
      op = take();
      if (!op.is("IN")) {
        throw error("expected IN after NOT", op);
      }
    }
    if (op.is("IN")) {
      expectSymbol("(", "'(' after IN");
      List<Object> values = new ArrayList<>();
      do {
        values.add(value(field, "IN ("));
      } while (takeIfSymbol(","));
      expectSymbol(")", "',' or ')'");
      return notIn ? Expressions.notIn(name, values) : Expressions.in(name, values);
    }
    Operation operation = op.kind() != Kind.SYMBOL ? null : switch (op.text()) {
      case "=" -> Operation.EQ;
      case "!=", "<>" -> Operation.NOT_EQ;
      case "<" -> Operation.LT;
      case "<=" -> Operation.LT_EQ;
      case ">" -> Operation.GT;
      case ">=" -> Operation.GT_EQ;
      default -> null;
    };
    if (operation == null) {
      throw error("expected an operator (= != < <= > >= IS IN) after column '" + name + "'", op);
    }
    return Expressions.predicate(operation, name, value(field, op.text()));
  }

  /** A literal of the column's type, as the Java value Iceberg keeps for it. */
  private Object value(Types.NestedField field, String after) {
    Token t = take();
    Type type = field.type();
    String expected = "expected a value after '" + after + "'";
    if (t.kind() == Kind.END || t.kind() == Kind.SYMBOL || t.kind() == Kind.QUOTED_NAME
        || t.kind() == Kind.WORD && isKeyword(t.text()) && !t.is("NULL")) {
      throw error(expected, t);
    }
    if (t.is("NULL")) {
      throw error("NULL is no value to compare with (use IS NULL or IS NOT NULL)", t);
    }
    if (!type.isPrimitiveType() || type.typeId() == Type.TypeID.BINARY
        || type.typeId() == Type.TypeID.FIXED) {
      throw new IllegalArgumentException("column '" + field.name() + "' (" + type
          + ") cannot be filtered on, at " + t.position());
    }
    try {
      Object value = switch (type.typeId()) {
        case BOOLEAN -> t.is("true") ? Boolean.TRUE : t.is("false") ? Boolean.FALSE : null;
        case INTEGER -> t.kind() == Kind.NUMBER ? Integer.valueOf(t.text()) : null;
        case LONG -> t.kind() == Kind.NUMBER ? Long.valueOf(t.text()) : null;
        case FLOAT -> t.kind() == Kind.NUMBER ? Float.valueOf(t.text()) : null;
        case DOUBLE -> t.kind() == Kind.NUMBER ? Double.valueOf(t.text()) : null;
        case DECIMAL -> t.kind() == Kind.NUMBER || t.kind() == Kind.STRING
            ? new BigDecimal(t.text()).setScale(((Types.DecimalType) type).scale(),
                RoundingMode.UNNECESSARY)
            : null;
        case STRING -> t.kind() == Kind.STRING ? t.text() : null;
        case DATE, TIME, TIMESTAMP, TIMESTAMP_NANO, UUID -> t.kind() == Kind.STRING
            ? valueOf(Literal.of(t.text()).to(type)) : null;
        default -> null;
      };
      if (value != null) {
        return value;
      }
    } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
      // not a value of the type: the message below says what is
    }
    throw new IllegalArgumentException("expected a value of type " + type + " for column '"
        + field.name() + "' at " + t.position() + ", got " + t.describe() + example(type));
  }

  private static Object valueOf(Literal<?> literal) {
    return literal == null ? null : literal.value();
  }

  private static String example(Type type) {
    return switch (type.typeId()) {
      case BOOLEAN -> " (true or false)";
      case STRING -> " (a 'quoted string')";
      case DATE -> " (such as '2026-11-24')";
      case TIME -> " (such as '10:00:00')";
      case TIMESTAMP, TIMESTAMP_NANO -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? " (such as '2026-11-24T10:00:00Z' or '2026-11-24T10:00:00+01:00')"
          : " (such as '2026-11-24T10:00:00')";
      case UUID -> " (a quoted UUID)";
      default -> "";
    };
  }

  private static boolean isKeyword(String word) {
    return switch (word.toUpperCase(Locale.ROOT)) {
      case "AND", "OR", "NOT", "IS", "IN", "NULL" -> true;
      default -> false;
    };
  }

  private Token peek() {
    return tokens.get(next);
  }

  private Token take() {
    Token t = tokens.get(next);
    if (t.kind() != Kind.END) {
      next++;
    }
    return t;
  }

  private boolean takeIfSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      next++;
      return true;
    }
    return false;
  }

  private void expectSymbol(String symbol, String expected) {
    Token t = take();
    if (!t.isSymbol(symbol)) {
      throw error("expected " + expected, t);
    }
  }

  private IllegalArgumentException error(String expected, Token at) {
    return new IllegalArgumentException(expected + " at " + at.position() + ", got "
        + at.describe() + " in: " + text);
  }

  private static List<Token> tokenize(String text) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      int start = i;
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"') {
        StringBuilder s = new StringBuilder();
        i++;
        while (true) {
          if (i >= text.length()) {
            throw new IllegalArgumentException("unterminated " + (c == '\'' ? "string" : "name")
                + " starting at " + (start + 1) + " in: " + text);
          }
          char d = text.charAt(i++);
          if (d == c) {
            if (i < text.length() && text.charAt(i) == c) {
              s.append(c);
              i++;
              continue;
            }
            break;
          }
          s.append(d);
        }
        out.add(new Token(c == '\'' ? Kind.STRING : Kind.QUOTED_NAME, s.toString(), start + 1));
      } else if (Character.isDigit(c) || (c == '-' || c == '+' || c == '.')
          && i + 1 < text.length() && (Character.isDigit(text.charAt(i + 1))
              || text.charAt(i + 1) == '.')) {
        i++;
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
            || text.charAt(i) == '.' || (text.charAt(i) == '-' || text.charAt(i) == '+')
                && Character.toLowerCase(text.charAt(i - 1)) == 'e')) {
          i++;
        }
        out.add(new Token(Kind.NUMBER, text.substring(start, i), start + 1));
      } else if (Character.isLetter(c) || c == '_') {
        while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i))
            || text.charAt(i) == '_' || text.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Kind.WORD, text.substring(start, i), start + 1));
      } else if (text.startsWith("<=", i) || text.startsWith(">=", i)
          || text.startsWith("!=", i) || text.startsWith("<>", i)) {
        i += 2;
        out.add(new Token(Kind.SYMBOL, text.substring(start, i), start + 1));
      } else if ("=<>(),".indexOf(c) >= 0) {
        i++;
        out.add(new Token(Kind.SYMBOL, String.valueOf(c), start + 1));
      } else {
        throw new IllegalArgumentException("unexpected character '" + c + "' at " + (start + 1)
            + " in: " + text);
      }
    }
    out.add(new Token(Kind.END, "", text.length() + 1));
    return out;
  }
}
