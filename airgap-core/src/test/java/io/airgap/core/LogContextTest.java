package io.airgap.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {
  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void requestContextSetsModelDigestAndAFreshRequestIdThenRemovesThem() {
    try (LogContext context = LogContext.request("fraud", "sha256:00ff")) {
      assertThat(MDC.get(LogContext.MODEL)).isEqualTo("fraud");
      assertThat(MDC.get(LogContext.MODEL_DIGEST)).isEqualTo("sha256:00ff");
      assertThat(MDC.get(LogContext.REQUEST)).matches("[0-9a-f]{16}");
    }
    assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void aRequestIdTheHostSetIsKept() {
    MDC.put(LogContext.REQUEST, "req-42");
    try (LogContext context = LogContext.request("fraud", "sha256:00ff")) {
      assertThat(MDC.get(LogContext.REQUEST)).isEqualTo("req-42");
    }
    assertThat(MDC.get(LogContext.REQUEST)).isEqualTo("req-42");
  }

  @Test
  void nestedContextsPutBackTheOuterValues() {
    try (LogContext outer = LogContext.model("outer", "sha256:01")) {
      try (LogContext inner = LogContext.model("inner", "sha256:02")) {
        assertThat(MDC.get(LogContext.MODEL)).isEqualTo("inner");
        assertThat(MDC.get(LogContext.REQUEST)).isNull();
      }
      assertThat(MDC.get(LogContext.MODEL)).isEqualTo("outer");
      assertThat(MDC.get(LogContext.MODEL_DIGEST)).isEqualTo("sha256:01");
    }
    assertThat(MDC.get(LogContext.MODEL)).isNull();
  }

  @Test
  void requestIdsAreSixteenHexDigitsAndDiffer() {
    assertThat(LogContext.newRequestId()).hasSize(16).isNotEqualTo(LogContext.newRequestId());
  }
}
