package io.weir.stream;

import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test sink that keeps what every subtask wrote in memory, by a name the test chooses (jobs
 * are created from class names, so a test finds its results through the name). Writes through:
 * an element is visible as soon as it is written.
 *
 * @param name where the results go
 */
public record CollectSink<T>(String name) implements Sink<T> {
  private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();

  /** Everything flushed to {@code name} so far, in arrival order per subtask. */
  public static List<Object> results(String name) {
    synchronized (RESULTS) {
      return List.copyOf(RESULTS.getOrDefault(name, List.of()));
    }
  }

  /** Forgets the results of {@code name}. */
  public static void clear(String name) {
    synchronized (RESULTS) {
      RESULTS.remove(name);
    }
  }

  @Override
  public SinkWriter<T> createWriter(SinkContext context) {
    return new SinkWriter<>() {
      @Override
      public void write(T element, Long timestamp) {
        synchronized (RESULTS) {
          RESULTS.computeIfAbsent(name, n -> new ArrayList<>()).add(element);
        }
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }
}
