package io.weir.connectors.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.stream.api.InvalidJobException;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What `weir job list` and `status` show of a `weir cdc postgres` job. */
class PostgresToLogJobTest {
  @Test
  void thePasswordIsHiddenWhereverItIsGiven() {
    List<String> args = List.of("jdbc:postgresql://db:5432/shop?user=weir&password=hunter2&ssl=true",
        "weir", "hunter2", "slot", "public.orders", "initial", "cdc.${table}", "-", "1000");
    List<String> shown = new PostgresToLogJob().redact(args);
    assertEquals("jdbc:postgresql://db:5432/shop?user=weir&password=******&ssl=true",
        shown.get(0));
    assertEquals("******", shown.get(2));
    assertEquals(args.subList(3, args.size()), shown.subList(3, shown.size()));
    assertEquals("", new PostgresToLogJob().redact(List.of("url", "u", "")).get(2),
        "no password: nothing to hide");
  }

  @Test
  void aFlagThatIsNeitherTrueNorFalseIsRefusedByName() {
    List<String> args = List.of("jdbc:postgresql://db:5432/shop", "weir", "", "slot",
        "public.orders", "initial", "cdc.${table}", "-", "1000", "1024", "false", "yes");
    InvalidJobException e = assertThrows(InvalidJobException.class,
        () -> new PostgresToLogJob().define(null, args));
    assertEquals("streaming must be true or false, was 'yes'", e.getMessage());
  }
}
