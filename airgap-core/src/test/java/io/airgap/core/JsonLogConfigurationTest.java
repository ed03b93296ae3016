package io.airgap.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** docs/logging/logback-json.xml writes JSON lines carrying airgap's MDC keys. */
class JsonLogConfigurationTest {
  private static final Path CONFIGURATION = Path.of("..", "docs", "logging", "logback-json.xml");

  @TempDir Path temp;

  @Test
  void eachLineIsOneJsonObjectWithTheModelAndRequestKeys() throws Exception {
    Path file = temp.resolve("airgap.json");
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter()); // the adapter LogContext writes to
    context.putProperty("AIRGAP_LOG_FILE", file.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(CONFIGURATION.toFile());
    Logger logger = context.getLogger("io.airgap.core.signing.ModelVerifier");
    Logger quiet = context.getLogger("org.example.Chatty");

    MDC.put(LogContext.REQUEST, "req-7");
    try (LogContext ignored = LogContext.model("fraud", "sha256:00ff")) {
      logger.info("model fraud verified");
      quiet.info("not at WARN: dropped");
    } finally {
      MDC.remove(LogContext.REQUEST);
      context.stop();
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("loggerName").asText()).isEqualTo("io.airgap.core.signing.ModelVerifier");
    assertThat(line.get("message").asText()).isEqualTo("model fraud verified");
    assertThat(line.get("mdc").get(LogContext.MODEL).asText()).isEqualTo("fraud");
    assertThat(line.get("mdc").get(LogContext.MODEL_DIGEST).asText()).isEqualTo("sha256:00ff");
    assertThat(line.get("mdc").get(LogContext.REQUEST).asText()).isEqualTo("req-7");
  }
}
