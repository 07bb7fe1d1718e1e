package io.weir.benchmarks.nexmark;

import io.weir.benchmarks.nexmark.Outputs.AuctionPrice;
import io.weir.benchmarks.nexmark.Outputs.BidderSession;
import io.weir.benchmarks.nexmark.Outputs.HotItem;
import io.weir.benchmarks.nexmark.Outputs.NewUser;
import io.weir.benchmarks.nexmark.Outputs.SellerAuction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.functions.CoGroupFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.EventTimeSessionWindows;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * The same Nexmark queries in Flink's DataStream API, wired as {@link WeirNexmarkJob} wires them:
 * the same generator over a {@link NumberSequenceSource} (split into one contiguous index range
 * per subtask), the same event times and watermarks, the same shared logic in {@link Query}, and
 * a sink that adds its {@link Digest}. Flink's defaults otherwise (no object reuse, no
 * checkpoints, heap state).
 */
public final class FlinkNexmarkJob {
  private FlinkNexmarkJob() {}

  /**
   * Adds the pipeline of {@code query} to {@code env}.
   *
   * @param env the environment, its parallelism set
   * @param query the query
   * @param events how many events to generate, at least 1
   * @param seed the generator's seed
   * @param digest the name the sink adds its digest under
   * @param full whether the sink takes full fingerprints besides the light ones
   */
  public static void define(StreamExecutionEnvironment env, Query query, long events, long seed,
      String digest, boolean full) {
    NexmarkGenerator generator = new NexmarkGenerator(seed);
    DataStream<Event> input = env
        .fromSource(new NumberSequenceSource(0, events - 1), WatermarkStrategy.noWatermarks(),
            "Nexmark")
        .map(generator::event).returns(Event.class).name("Generate")
        .assignTimestampsAndWatermarks(WatermarkStrategy
            .<Event>forBoundedOutOfOrderness(Query.OUT_OF_ORDERNESS)
            .withTimestampAssigner((event, ts) -> event.dateTime()))
        .name("Timestamps");
    DataStream<?> out = switch (query) {
      case Q0 -> input.map(e -> e).returns(Event.class).name("Pass");
      case Q1 -> input.filter(Event::isBid).name("Bids").map(e -> Query.toEuros(e.bid()))
          .returns(Bid.class).name("ToEuros");
      case Q2 -> input.filter(Query::q2Selects).name("Select").map(Query::q2Project)
          .returns(AuctionPrice.class).name("Project");
      case Q3 -> input.filter(Query::q3Selects).name("Select")
          .keyBy(Query::q3Key, Types.LONG)
          .process(new Q3Join()).returns(SellerAuction.class).name("Join");
      case Q5 -> bids(input)
          .keyBy(Bid::auction, Types.LONG)
          .window(SlidingEventTimeWindows.of(Query.Q5_SIZE, Query.Q5_SLIDE))
          .aggregate(new CountBids(), new ToHotItem()).name("Count")
          .keyBy(HotItem::windowEnd, Types.LONG)
          .window(TumblingEventTimeWindows.of(Query.Q5_SLIDE))
          .process(new MaxHotItems()).name("Max");
      case Q7 -> bids(input)
          .keyBy(Bid::auction, Types.LONG)
          .window(TumblingEventTimeWindows.of(Query.TUMBLE))
          .reduce(Query::higher).name("MaxPerAuction")
          .keyBy(bid -> Query.tumbleStart(bid.dateTime()), Types.LONG)
          .window(TumblingEventTimeWindows.of(Query.TUMBLE))
          .reduce(Query::higher).name("Max");
      case Q8 -> {
        DataStream<Person> persons = input.filter(Event::isPerson).name("Persons")
            .map(Event::person).returns(Person.class).name("Person");
        DataStream<Auction> auctions = input.filter(Event::isAuction).name("Auctions")
            .map(Event::auction).returns(Auction.class).name("Auction");
        yield persons.coGroup(auctions)
            .where(Person::id, Types.LONG).equalTo(Auction::seller, Types.LONG)
            .window(TumblingEventTimeWindows.of(Query.TUMBLE))
            .apply(new NewUsers(), TypeInformation.of(NewUser.class));
      }
      case Q11 -> bids(input)
          .keyBy(Bid::bidder, Types.LONG)
          .window(EventTimeSessionWindows.withGap(Query.SESSION_GAP))
          .aggregate(new CountBids(), new ToSession()).name("Sessions");
    };
    @SuppressWarnings("unchecked")
    DataStream<Object> results = (DataStream<Object>) out;
    results.sinkTo(new DigestSink(digest, full)).name("Digest");
  }

  private static DataStream<Bid> bids(DataStream<Event> input) {
    return input.filter(Event::isBid).name("Bids").map(Event::bid).returns(Bid.class)
        .name("Bid");
  }

  /** Counts bids with an immutable {@code Long} accumulator, as the Weir side does. */
  static final class CountBids implements AggregateFunction<Bid, Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(Bid value, Long accumulator) {
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

  /** Query 5: an auction's count with its window's end. */
  static final class ToHotItem extends ProcessWindowFunction<Long, HotItem, Long, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(Long auction, Context ctx, Iterable<Long> counts, Collector<HotItem> out) {
      out.collect(new HotItem(auction, counts.iterator().next(), ctx.window().getEnd()));
    }
  }

  /** Query 5: every auction with the window's highest count. */
  static final class MaxHotItems extends ProcessWindowFunction<HotItem, HotItem, Long, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(Long end, Context ctx, Iterable<HotItem> items, Collector<HotItem> out) {
      long max = 0;
      for (HotItem item : items) {
        max = Math.max(max, item.bids());
      }
      for (HotItem item : items) {
        if (item.bids() == max) {
          out.collect(item);
        }
      }
    }
  }

  /** Query 8: the persons of a window, if they opened an auction in it. */
  static final class NewUsers implements CoGroupFunction<Person, Auction, NewUser> {
    private static final long serialVersionUID = 1L;

    @Override
    public void coGroup(Iterable<Person> persons, Iterable<Auction> auctions,
        Collector<NewUser> out) {
      if (auctions.iterator().hasNext()) {
        for (Person p : persons) {
          out.collect(new NewUser(p.id(), p.name(), Query.tumbleStart(p.dateTime())));
        }
      }
    }
  }

  /** Query 11: a bidder's session count with the session's bounds. */
  static final class ToSession
      extends ProcessWindowFunction<Long, BidderSession, Long, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(Long bidder, Context ctx, Iterable<Long> counts,
        Collector<BidderSession> out) {
      out.collect(new BidderSession(bidder, counts.iterator().next(), ctx.window().getStart(),
          ctx.window().getEnd()));
    }
  }

  /** Query 3's unbounded join, as {@link WeirNexmarkJob}'s. */
  static final class Q3Join extends KeyedProcessFunction<Long, Event, SellerAuction> {
    private static final long serialVersionUID = 1L;
    private transient ValueState<Person> person;
    private transient ListState<Auction> waiting;

    @Override
    public void open(OpenContext openContext) {
      person = getRuntimeContext().getState(new ValueStateDescriptor<>("person", Person.class));
      waiting = getRuntimeContext().getListState(
          new ListStateDescriptor<>("waiting-auctions", Auction.class));
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<SellerAuction> out)
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

  /** Flink's digest sink: counts and fingerprints, added at every flush and on close. */
  record DigestSink(String name, boolean full) implements Sink<Object> {
    @Override
    public SinkWriter<Object> createWriter(WriterInitContext context) {
      return new SinkWriter<>() {
        private long count;
        private long checksum;
        private long light;

        @Override
        public void write(Object element, Context context) {
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
