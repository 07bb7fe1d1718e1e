package io.weir.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.weir.api.CborSerializable;
import io.weir.node.NodeLauncher;
import io.weir.node.testing.Counter;
import io.weir.node.testing.SampleMessages;
import io.weir.node.testing.SampleValues;
import io.weir.node.testing.ValueEquality;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonSerializer;
import io.weir.stream.api.source.SourceSplit;
import io.weir.stream.internal.windowing.Tagged;
import org.apache.pekko.stream.SinkRef;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Round-trips every concrete {@link CborSerializable} type on the test class path through Pekko
 * serialization, on an actor system configured like an embedded node, so a message type that
 * would fail between nodes or in a journal fails here, named.
 */
class SerializationGuardTest {
  @TempDir static Path dataDir;
  private static ActorTestKit testKit;
  private static SampleValues samples;
  private static List<Class<?>> messageTypes;

  @BeforeAll
  static void startSystem() {
    testKit = ActorTestKit.create("SerializationGuardTest",
        NodeLauncher.defaults().withDataDir(dataDir).resolveConfig());
    ActorRef<Object> ref = testKit.<Object>createTestProbe().getRef();
    samples = SampleValues.create()
        .withSample(ActorRef.class, () -> ref)
        .withSample(org.apache.pekko.actor.ActorRef.class, () -> Adapter.toClassic(ref))
        .withSample(SourceSplit.class, () -> new SampleSplit("partition-3", 42))
        .withSample(Tagged.class, () -> new Tagged(1, "a record of the second input"))
        .withSample(SinkRef.class, () -> StreamRefs.sinkRef().to(Sink.ignore())
            .run(testKit.system()));
    messageTypes = scanMessageTypes();
  }

  /** A connector's split, as a connector would define it. */
  public record SampleSplit(String splitId, long position) implements SourceSplit {}

  @AfterAll
  static void stopSystem() {
    testKit.shutdownTestKit();
  }

  @Test
  void scanFindsTheTestOnlyMessagesAndTheTestEntity() {
    List<Class<?>> found = messageTypes;
    for (Class<?> expected : List.of(SampleMessages.Drawing.class, SampleMessages.Circle.class,
        SampleMessages.Square.class, SampleMessages.Scalars.class, Counter.Add.class,
        Counter.Get.class, Counter.Added.class, Counter.State.class)) {
      assertTrue(found.contains(expected), "the scan did not find " + expected.getName()
          + "; it found " + found);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyMessageTypeRoundTripsThroughJacksonCbor() {
    return messageTypes.stream().map(type ->
        DynamicTest.dynamicTest(type.getName(), () -> assertRoundTrips(type)));
  }

  private static void assertRoundTrips(Class<?> type) {
    Object original;
    try {
      original = samples.sampleOf(type);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(type.getName() + ": " + e.getMessage(), e);
    }
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    Serializer serializer = serialization.findSerializerFor(original);
    String bindingName = serializer instanceof JacksonSerializer jackson
        ? jackson.bindingName() : serializer.getClass().getName();
    // jackson-cbor, or one of Weir's own serializers declared for a hot path (BatchSerializer).
    assertTrue("jackson-cbor".equals(bindingName) || bindingName.startsWith("io.weir."),
        type.getName() + " is bound to " + bindingName + ", not jackson-cbor");
    Object copy;
    try {
      byte[] bytes = serialization.serialize(original).get();
      String manifest = Serializers.manifestFor(serializer, original);
      copy = serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    } catch (Exception e) {
      throw new AssertionError(type.getName() + " cannot be serialized and read back: " + e, e);
    }
    if (!ValueEquality.equivalent(original, copy)) {
      fail(type.getName() + " changed in the round trip:\n  sent " + original + "\n  got  " + copy);
    }
  }

  /** Every concrete class under io.weir, main or test, that implements CborSerializable. */
  private static List<Class<?>> scanMessageTypes() {
    return new ClassFileImporter().importPackages("io.weir").stream()
        .filter(c -> c.isAssignableTo(CborSerializable.class))
        .filter(c -> !c.isInterface() && !c.getModifiers().contains(JavaModifier.ABSTRACT))
        .sorted(Comparator.comparing(JavaClass::getName))
        .<Class<?>>map(JavaClass::reflect)
        .distinct()
        .toList();
  }
}
