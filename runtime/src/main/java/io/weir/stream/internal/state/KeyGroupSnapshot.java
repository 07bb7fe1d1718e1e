package io.weir.stream.internal.state;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.weir.api.CborSerializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keyed state and timers of one key group at a checkpoint: the unit that moves between
 * subtasks when a job is restored with another parallelism. Plain data, serialized as CBOR with
 * the classes of keys and values.
 *
 * @param keyGroup the key group
 * @param states the entries of each state with any in this key group
 * @param eventTimers the event-time timers
 * @param processingTimers the processing-time timers
 */
public record KeyGroupSnapshot(int keyGroup, List<StateEntries> states, List<Timer> eventTimers,
    List<Timer> processingTimers) implements CborSerializable {
  /** Copies the lists. */
  public KeyGroupSnapshot {
    states = List.copyOf(states);
    eventTimers = List.copyOf(eventTimers);
    processingTimers = List.copyOf(processingTimers);
  }

  /**
   * The entries of one state in the key group.
   *
   * @param name the state's name
   * @param entries one per key
   */
  public record StateEntries(String name, List<Entry> entries) {}

  /**
   * One key's entry of a state.
   *
   * @param key the stream key
   * @param stored its value(s)
   */
  public record Entry(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object key, Stored stored) {}

  /**
   * A timer.
   *
   * @param key the stream key
   * @param time its time
   */
  public record Timer(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object key, long time) {}

  /** A state's stored form: one value, a list (list state) or a map (map state). */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @com.fasterxml.jackson.annotation.JsonSubTypes({
      @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Cell.class, name = "cell"),
      @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = Cells.class, name = "list"),
      @com.fasterxml.jackson.annotation.JsonSubTypes.Type(value = CellMap.class, name = "map")})
  public sealed interface Stored {}

  /**
   * One value and when its time to live was last renewed.
   *
   * @param value the value
   * @param timestamp epoch milliseconds
   */
  public record Cell(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object value, long timestamp)
      implements Stored {}

  /**
   * A list state's elements.
   *
   * @param cells in order
   */
  public record Cells(List<Cell> cells) implements Stored {}

  /**
   * A map state's entries.
   *
   * @param keys the map keys
   * @param cells the values, in the keys' order
   */
  public record CellMap(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<Object> keys,
      List<Cell> cells) implements Stored {}

  /** The stored form of a heap state's entry (a copy: the snapshot does not see later writes). */
  static Stored export(Object entry) {
    if (entry instanceof TtlValue<?> t) {
      return new Cell(t.value(), t.timestamp());
    } else if (entry instanceof List<?> list) {
      List<Cell> cells = new ArrayList<>(list.size());
      list.forEach(t -> cells.add((Cell) export(t)));
      return new Cells(cells);
    } else if (entry instanceof Map<?, ?> map) {
      List<Object> keys = new ArrayList<>(map.size());
      List<Cell> cells = new ArrayList<>(map.size());
      map.forEach((k, t) -> {
        keys.add(k);
        cells.add((Cell) export(t));
      });
      return new CellMap(keys, cells);
    }
    throw new IllegalStateException("unknown state entry " + entry.getClass());
  }

  /** A heap state's entry from its stored form (a fresh, mutable copy). */
  static Object restore(Stored stored) {
    if (stored instanceof Cell c) {
      return new TtlValue<>(c.value(), c.timestamp());
    } else if (stored instanceof Cells list) {
      List<Object> entries = new ArrayList<>(list.cells().size());
      list.cells().forEach(c -> entries.add(restore(c)));
      return entries;
    }
    CellMap map = (CellMap) stored;
    Map<Object, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < map.keys().size(); i++) {
      entries.put(map.keys().get(i), restore(map.cells().get(i)));
    }
    return entries;
  }
}
