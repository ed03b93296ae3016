/**
 * airgap metrics: Micrometer meters for inference, verification, audit appends and drift. The
 * inference and drift modules are read only when the application has them.
 */
module io.airgap.metrics {
  requires transitive io.airgap.core;
  requires transitive micrometer.core;
  // Listeners it hands out are inference and drift types: readers get them with the module.
  requires static transitive io.airgap.inference;
  requires static transitive io.airgap.drift;

  exports io.airgap.metrics;
}
