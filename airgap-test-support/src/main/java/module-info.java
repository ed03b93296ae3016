/**
 * airgap test support: tiny ONNX models written in Java, signed model directories and temporary
 * audit logs for the tests of applications built on airgap.
 */
module io.airgap.testing {
  requires transitive io.airgap.core;
  requires transitive io.airgap.audit;
  requires transitive io.airgap.inference;

  exports io.airgap.testing;
}
