package io.weir.journal.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DirectoryNamesTest {
  @Test
  void safeCharactersStayAndOthersAreEscaped() {
    assertEquals("orders%2F12", DirectoryNames.of("orders/12"));
    assertEquals("a.b_c-d", DirectoryNames.of("a.b_c-d"));
    assertEquals("%2E.", DirectoryNames.of(".."));
    assertEquals("%2Ehidden", DirectoryNames.of(".hidden"));
    assertEquals("%C3%BC%25", DirectoryNames.of("ü%"));
    assertEquals("a%7Cb%20c", DirectoryNames.of("a|b c"));
  }

  @Test
  void longIdsAreCutButStayDistinct() {
    String base = "x".repeat(300);
    String a = DirectoryNames.of(base + "a");
    String b = DirectoryNames.of(base + "b");
    assertTrue(a.length() <= DirectoryNames.MAX_LENGTH, a);
    assertNotEquals(a, b);
  }
}
