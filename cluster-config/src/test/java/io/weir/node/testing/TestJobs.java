package io.weir.node.testing;

import io.weir.log.api.ConsumerRecord;
import io.weir.log.api.StartPosition;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import java.util.List;

/** Job definitions for the tests of the {@code job} command and of job restarts. */
public final class TestJobs {
  private TestJobs() {}

  /** A bounded job: three words, upper-cased, printed. Finishes at once. */
  public static final class Bounded implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromElements("alpha", "beta", "gamma")
          .map(s -> s.toUpperCase(java.util.Locale.ROOT)).name("Upper")
          .print().name("Print");
    }
  }

  /** A bounded job whose operator "Explode" throws on the element 2. */
  public static final class Failing implements JobDefinition {
    /** The failing operator's name. */
    public static final String OPERATOR = "Explode";

    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromElements(1, 2, 3)
          .map(i -> {
            if (i == 2) {
              throw new IllegalStateException("cannot take " + i);
            }
            return i;
          }).name(OPERATOR)
          .print().name("Print");
    }
  }

  /**
   * An unbounded job: every record of topic {@code args[0]} from the latest offset on, its value
   * prefixed with "relayed:", appended to topic {@code args[1]}.
   */
  public static final class Relay implements JobDefinition {
    @Override
    public void define(JobBuilder job, List<String> args) {
      job.fromLog(args.get(0), StartPosition.latest())
          .map(ConsumerRecord::valueString).name("Value")
          .map(v -> "relayed:" + v).name("Prefix")
          .toLog(args.get(1)).name("Out");
    }
  }
}
