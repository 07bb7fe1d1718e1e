package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.nexmark.Outputs.BidderSession;
import io.weir.benchmarks.nexmark.Outputs.HotItem;
import io.weir.benchmarks.nexmark.Outputs.NewUser;
import io.weir.benchmarks.nexmark.Outputs.SellerAuction;
import io.weir.stream.api.AggregateFunction;
import io.weir.stream.api.Collector;
import io.weir.stream.api.DataStream;
import io.weir.stream.api.JobBuilder;
import io.weir.stream.api.JobDefinition;
import io.weir.stream.api.KeyedProcessFunction;
import io.weir.stream.api.RuntimeContext;
import io.weir.stream.api.eventtime.WatermarkStrategy;
import io.weir.stream.api.sink.Sink;
import io.weir.stream.api.sink.SinkContext;
import io.weir.stream.api.sink.SinkWriter;
import io.weir.stream.api.state.ListState;
import io.weir.stream.api.state.ListStateDescriptor;
import io.weir.stream.api.state.ValueState;
import io.weir.stream.api.state.ValueStateDescriptor;
import io.weir.stream.api.windowing.EventTimeSessionWindows;
import io.weir.stream.api.windowing.ProcessWindowFunction;
import io.weir.stream.api.windowing.TimeWindow;
import io.weir.stream.api.windowing.SlidingEventTimeWindows;
import io.weir.stream.api.windowing.TumblingEventTimeWindows;
import java.util.List;

/**
 * The Nexmark queries in Weir's DataStream API. Arguments: {@code QUERY EVENTS SEED PARALLELISM
 * DIGEST full|light}: the query ({@code q0}…), how many events to generate, the generator's
 * seed, the job's parallelism, the name its sink adds its {@link Digest} under, and whether the
 * sink takes full fingerprints or light ones only.
 *
 * <p>Every query reads {@code EVENTS} events from {@link JobBuilder#generate} (a bounded
 * generator, split into contiguous index ranges across the subtasks), gives them their event
 * times with a bounded-out-of-orderness watermark of {@link Query#OUT_OF_ORDERNESS}, and writes
 * to a {@link DigestSink}.
 */
public final class WeirNexmarkJob implements JobDefinition {

  /**
   * The arguments of a job that runs {@code query}.
   *
   * @return the arguments {@link #define} expects
   */
  public static List<String> args(Query query, long events, long seed, int parallelism,
      String digest, boolean full) {
    return List.of(query.label(), Long.toString(events), Long.toString(seed),
        Integer.toString(parallelism), digest, full ? "full" : "light");
  }

  @Override
  public void define(JobBuilder job, List<String> args) {
    Query query = Query.parse(args.get(0));
    long events = Long.parseLong(args.get(1));
    NexmarkGenerator generator = new NexmarkGenerator(Long.parseLong(args.get(2)));
    job.setParallelism(Integer.parseInt(args.get(3)));
    DigestSink<Object> sink = new DigestSink<>(args.get(4), args.get(5).equals("full"));

    DataStream<Event> input = job.generate(generator::event, events).name("Nexmark")
        .assignTimestampsAndWatermarks(WatermarkStrategy
            .<Event>forBoundedOutOfOrderness(Query.OUT_OF_ORDERNESS)
            .withTimestampAssigner((event, ts) -> event.dateTime()))
        .name("Timestamps");
    DataStream<?> out = switch (query) {
      case Q0 -> input.map(e -> e).name("Pass");
      case Q1 -> input.filter(Event::isBid).name("Bids").map(e -> Query.toEuros(e.bid()))
          .name("ToEuros");
      case Q2 -> input.filter(Query::q2Selects).name("Select").map(Query::q2Project)
          .name("Project");
      case Q3 -> input.filter(Query::q3Selects).name("Select")
          .keyBy(Query::q3Key)
          .process(new Q3Join()).name("Join");
      case Q5 -> input.filter(Event::isBid).name("Bids").map(Event::bid).name("Bid")
          .keyBy(Bid::auction)
          .window(SlidingEventTimeWindows.of(Query.Q5_SIZE, Query.Q5_SLIDE))
          .aggregate(new CountBids<Bid>(), (Long auction, ProcessWindowFunction.Context<TimeWindow> ctx, Iterable<Long> counts,
              Collector<HotItem> o) ->
              o.collect(new HotItem(auction, counts.iterator().next(), ctx.window().end())))
          .name("Count")
          .keyBy(HotItem::windowEnd)
          .window(TumblingEventTimeWindows.of(Query.Q5_SLIDE))
          .process((Long end, ProcessWindowFunction.Context<TimeWindow> ctx, Iterable<HotItem> items, Collector<HotItem> o) -> {
            long max = 0;
            for (HotItem item : items) {
              max = Math.max(max, item.bids());
            }
            for (HotItem item : items) {
              if (item.bids() == max) {
                o.collect(item);
              }
            }
          }).name("Max");
      case Q7 -> input.filter(Event::isBid).name("Bids").map(Event::bid).name("Bid")
          .keyBy(Bid::auction)
          .window(TumblingEventTimeWindows.of(Query.TUMBLE))
          .reduce(Query::higher).name("MaxPerAuction")
          .keyBy(bid -> Query.tumbleStart(bid.dateTime()))
          .window(TumblingEventTimeWindows.of(Query.TUMBLE))
          .reduce(Query::higher).name("Max");
      case Q8 -> {
        DataStream<Person> persons = input.filter(Event::isPerson).name("Persons")
            .map(Event::person).name("Person");
        DataStream<Auction> auctions = input.filter(Event::isAuction).name("Auctions")
            .map(Event::auction).name("Auction");
        yield persons.coGroup(auctions)
            .where(Person::id).equalTo(Auction::seller)
            .window(TumblingEventTimeWindows.of(Query.TUMBLE))
            .apply((Iterable<Person> ps, Iterable<Auction> as, Collector<NewUser> o) -> {
              if (as.iterator().hasNext()) {
                for (Person p : ps) {
                  o.collect(new NewUser(p.id(), p.name(), Query.tumbleStart(p.dateTime())));
                }
              }
            });
      }
      case Q11 -> input.filter(Event::isBid).name("Bids").map(Event::bid).name("Bid")
          .keyBy(Bid::bidder)
          .window(EventTimeSessionWindows.withGap(Query.SESSION_GAP))
          .aggregate(new CountBids<Bid>(), (Long bidder, ProcessWindowFunction.Context<TimeWindow> ctx, Iterable<Long> counts,
              Collector<BidderSession> o) -> o.collect(new BidderSession(bidder,
              counts.iterator().next(), ctx.window().start(), ctx.window().end())))
          .name("Sessions");
    };
    @SuppressWarnings("unchecked")
    DataStream<Object> results = (DataStream<Object>) out;
    results.sinkTo(sink).name("Digest");
  }

  /** Counts elements: an immutable {@code Long} accumulator, as in the Flink side. */
  static final class CountBids<T> implements AggregateFunction<T, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(T value, Long accumulator) {
      return accumulator + 1;
    }

    @Override
    public Long getResult(Long accumulator) {
      return accumulator;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /**
   * Query 3's unbounded join, keyed by person id: the selected person is kept, and auctions that
   * arrive before their seller wait in a list until the seller comes.
   */
  static final class Q3Join implements KeyedProcessFunction<Long, Event, SellerAuction> {
    private ValueState<Person> person;
    private ListState<Auction> waiting;

    @Override
    public void open(RuntimeContext context) {
      person = context.getState(ValueStateDescriptor.of("person", Person.class));
      waiting = context.getState(ListStateDescriptor.of("waiting-auctions", Auction.class));
    }

    @Override
    public void processElement(Event e, Context<Long> ctx, Collector<SellerAuction> out)
        throws Exception {
      if (e.person() != null) {
        Person p = e.person();
        person.update(p);
        Iterable<Auction> auctions = waiting.get();
        if (auctions != null) {
          for (Auction a : auctions) {
            out.collect(new SellerAuction(p.name(), p.city(), p.state(), a.id()));
          }
        }
        waiting.clear();
      } else {
        Person p = person.value();
        if (p != null) {
          out.collect(new SellerAuction(p.name(), p.city(), p.state(), e.auction().id()));
        } else {
          waiting.add(e.auction());
        }
      }
    }
  }

  /**
   * A sink that keeps no results, only their count and fingerprint sums, and adds them to the
   * {@link Digest} named {@code name} at every flush (the end of input among them).
   *
   * @param name the digest's name
   * @param full whether to take full fingerprints besides the light ones
   */
  public record DigestSink<T>(String name, boolean full) implements Sink<T> {
    @Override
    public SinkWriter<T> createWriter(SinkContext context) {
      return new SinkWriter<>() {
        private long count;
        private long checksum;
        private long light;

        @Override
        public void write(T element, Long timestamp) {
          count++;
          if (full) {
            checksum += Fingerprint.of(element);
          }
          light += Fingerprint.light(element);
        }

        @Override
        public void flush(boolean endOfInput) {
          Digest.add(name, count, checksum, light);
          count = 0;
          checksum = 0;
          light = 0;
        }

        @Override
        public void close() {
          flush(true);
        }
      };
    }
  }
}
