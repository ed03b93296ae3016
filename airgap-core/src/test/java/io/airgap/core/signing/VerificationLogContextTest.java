package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.airgap.core.LogContext;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The verification's log line carries the model keys a log pipeline indexes. */
class VerificationLogContextTest {
  @TempDir Path temp;

  @Test
  void verificationLogLineCarriesModelNameAndDigest() {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    ModelSigner.builder()
        .key(key)
        .build()
        .sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of());
    Logger logger = (Logger) LoggerFactory.getLogger(ModelVerifier.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      VerificationReport report =
          ModelVerifier.builder()
              .publicKey(key.publicKey())
              .build()
              .verify(model, model.resolve("model.sig"));

      String digest = "sha256:" + report.rootDigest().hex();
      assertThat(appender.list).hasSize(1);
      assertThat(appender.list.get(0).getMDCPropertyMap())
          .isEqualTo(Map.of(LogContext.MODEL, report.modelName(), LogContext.MODEL_DIGEST, digest));
      assertThat(MDC.get(LogContext.MODEL)).isNull();
    } finally {
      logger.detachAppender(appender);
    }
  }
}
