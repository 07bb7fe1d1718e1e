package io.weir.stream.internal.exec;

import io.weir.stream.api.Collector;
import io.weir.stream.api.OutputTag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's outputs: its main output and side outputs, each feeding chained operators
 * (a method call) and exchanges (a buffer). Also the {@link Collector} handed to user functions,
 * stamping what they emit with the timestamp of the element being processed.
 */
final class Emitter implements Collector<Object> {
  /** Where an output goes: a chained operator or an exchange. */
  interface Target {
    /** Takes a record. */
    void accept(Object value, long timestamp) throws Exception;

    /** Takes a watermark. */
    void watermark(long watermark);

    /** Takes an idle (true) or active (false) status. */
    void status(boolean idle);
  }

  private final String operator;
  private final List<Target> main = new ArrayList<>();
  private final Map<String, List<Target>> sides = new HashMap<>();
  private long timestamp = StreamElement.NO_TIMESTAMP;

  Emitter(String operator) {
    this.operator = operator;
  }

  void addTarget(String sideOutput, Target target) {
    if (sideOutput == null) {
      main.add(target);
    } else {
      sides.computeIfAbsent(sideOutput, k -> new ArrayList<>()).add(target);
    }
  }

  /** Sends a watermark to every output, main and side. */
  void emitWatermark(long watermark) {
    main.forEach(t -> t.watermark(watermark));
    sides.values().forEach(ts -> ts.forEach(t -> t.watermark(watermark)));
  }

  /** Sends an idle or active status to every output, main and side. */
  void emitStatus(boolean idle) {
    main.forEach(t -> t.status(idle));
    sides.values().forEach(ts -> ts.forEach(t -> t.status(idle)));
  }

  /** Sets the timestamp of what is emitted next. */
  void timestamp(long ts) {
    this.timestamp = ts;
  }

  @Override
  public void collect(Object element) {
    emit(main, element);
  }

  /** Emits to a side output; nothing reads a tag no edge follows. */
  void side(OutputTag<?> tag, Object element) {
    if (tag == null) {
      throw new NullPointerException("operator '" + operator + "' emitted to a null output tag");
    }
    if (element != null && !tag.type().isInstance(element)) {
      throw new IllegalArgumentException("operator '" + operator + "' emitted a "
          + element.getClass().getName() + " to side output '" + tag.id() + "' of type "
          + tag.type().getName());
    }
    List<Target> targets = sides.get(tag.id());
    emit(targets == null ? List.of() : targets, element);
  }

  private void emit(List<Target> targets, Object element) {
    if (element == null) {
      throw new NullPointerException("operator '" + operator + "' emitted null; records are"
          + " never null");
    }
    for (int i = 0; i < targets.size(); i++) {
      try {
        targets.get(i).accept(element, timestamp);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new OperatorException(operator, e);
      }
    }
  }
}
