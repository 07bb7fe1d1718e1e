package io.weir.node.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What `weir job list` and `status` show of a pipeline: its file with the secrets hidden. */
class PipelineRedactionTest {
  @Test
  void secretValuesAreHiddenAndEverythingElseShown() {
    String file = """
        pipeline:
          name: orders
        source:
          type: postgres
          username: weir
          password: s3cr3t!
          "db-password" :   'quoted'
        sink:
          type: kafka
          properties:
            sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required;
            ssl.truststore.password: changeit
            api-token: abc
          empty-password:
        """;
    List<String> shown = new PipelineJob().redact(List.of("orders", "/lake", file));
    assertEquals("orders", shown.get(0));
    assertEquals("/lake", shown.get(1));
    assertEquals("""
        pipeline:
          name: orders
        source:
          type: postgres
          username: weir
          password: ******
          "db-password" : ******
        sink:
          type: kafka
          properties:
            sasl.jaas.config: ******
            ssl.truststore.password: ******
            api-token: ******
          empty-password:
        """, shown.get(2));
  }
}
