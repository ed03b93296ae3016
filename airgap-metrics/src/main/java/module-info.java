/**
 * airgap metrics: Micrometer meters for inference, verification, audit appends and drift. The
 * inference and drift modules are read only when the application has them.
 */
module io.airgap.metrics {
  requires transitive io.airgap.core;
  requires transitive micrometer.core;
  requires static io.airgap.inference;
  requires static io.airgap.drift;

  exports io.airgap.metrics;
}
