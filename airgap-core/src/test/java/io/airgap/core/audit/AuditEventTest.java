package io.airgap.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditEventTest {
  private static final Instant T = Instant.parse("2026-12-06T10:15:30Z");

  @Test
  void builderSetsEveryFieldAndDefaultsTheOutcomeToSuccess() {
    AuditEvent event =
        AuditEvent.builder("model.replace")
            .timestamp(T)
            .actor("svc-scoring")
            .subject("fraud/detector@sha256:ab")
            .attribute("previous", "sha256:cd")
            .build();

    assertThat(event)
        .isEqualTo(
            new AuditEvent(
                T,
                "svc-scoring",
                "model.replace",
                "fraud/detector@sha256:ab",
                "success",
                Map.of("previous", "sha256:cd")));
  }

  @Test
  void builderRefusesAMissingActorNamingIt() {
    assertThatThrownBy(() -> AuditEvent.builder("model.load").subject("m").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("audit event model.load needs an actor");
  }

  @Test
  void builderRefusesAMissingSubjectNamingIt() {
    assertThatThrownBy(() -> AuditEvent.builder("model.load").actor("a").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("audit event model.load needs a subject");
  }

  @Test
  void builderRefusesAnAttributeSetTwice() {
    AuditEvent.Builder builder = AuditEvent.builder("model.run").attribute("rows", "1");
    assertThatThrownBy(() -> builder.attribute("rows", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attribute rows is set twice");
  }

  @Test
  void builderRefusesAnActorGivenTwice() {
    AuditEvent.Builder builder = AuditEvent.builder("model.load").actor("alice");

    assertThatThrownBy(() -> builder.actor("bob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("actor is already set to alice; give it once");
  }

  @Test
  void builderRefusesEmptyAndNullValuesAtTheCall() {
    assertThatThrownBy(() -> AuditEvent.builder(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("action must not be null or empty");
    assertThatThrownBy(() -> AuditEvent.builder("a").actor(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("actor must not be null or empty");
    assertThatThrownBy(() -> AuditEvent.builder("a").timestamp(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("timestamp");
  }

  @Test
  void parseReadsBackTheCanonicalEncoding() {
    AuditEvent event =
        AuditEvent.builder("drift.window")
            .timestamp(T)
            .actor("monitor")
            .subject("clf@sha256:00")
            .outcome("drifted")
            .attributes(Map.of("features", "x0,x1", "é", "\u00fc"))
            .build();

    assertThat(AuditEvent.parse(event.canonicalJson(), "entry 3")).isEqualTo(event);
  }

  @Test
  void parseRefusesAnUnknownFieldNamingTheEntry() {
    byte[] json =
        ("{\"action\":\"a\",\"actor\":\"b\",\"attributes\":{},\"extra\":1,\"outcome\":\"c\","
                + "\"subject\":\"d\",\"timestamp\":\"2026-12-06T10:15:30Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AuditEvent.parse(json, "entry 3"))
        .isInstanceOf(FormatException.class)
        .hasMessage("entry 3: unknown field 'extra'");
  }

  @Test
  void parseRefusesABadTimestampAndANonStringAttribute() {
    byte[] badTime =
        ("{\"action\":\"a\",\"actor\":\"b\",\"attributes\":{},\"outcome\":\"c\","
                + "\"subject\":\"d\",\"timestamp\":\"yesterday\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AuditEvent.parse(badTime, "entry 0"))
        .isInstanceOf(FormatException.class)
        .hasMessage("entry 0: timestamp is not an ISO-8601 instant: yesterday");
    byte[] numeric =
        ("{\"action\":\"a\",\"actor\":\"b\",\"attributes\":{\"n\":1},\"outcome\":\"c\","
                + "\"subject\":\"d\",\"timestamp\":\"2026-12-06T10:15:30Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AuditEvent.parse(numeric, "entry 1"))
        .isInstanceOf(FormatException.class)
        .hasMessage("entry 1: attribute n is not a string");
  }
}
