package io.weir.connectors.testkit;

import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.SinkWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test sink that keeps what every subtask wrote in memory under a name the test chooses (jobs
 * are created from class names, so the test finds its results by the name).
 *
 * @param name where the results go
 */
public record CollectingSink<T>(String name) implements Sink<T> {
  private static final Map<String, List<Object>> RESULTS = new ConcurrentHashMap<>();

  /** Everything written to {@code name} so far. */
  public static List<Object> results(String name) {
    synchronized (RESULTS) {
      return List.copyOf(RESULTS.getOrDefault(name, List.of()));
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
