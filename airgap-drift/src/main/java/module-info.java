/**
 * airgap drift: reference profiles frozen at validation time, mergeable live profiles in constant
 * memory, the tests Evidently and NannyML use, and reports in JSON, text and HTML.
 *
 * <p>{@code io.airgap.drift.monitor} watches a running model; it needs {@code io.airgap.inference},
 * which this module reads only when the application has it.
 */
module io.airgap.drift {
  requires transitive io.airgap.core;
  requires static transitive io.airgap.inference;
  requires com.fasterxml.jackson.dataformat.csv;
  requires org.apache.commons.statistics.distribution;
  requires org.apache.commons.statistics.inference;
  // datasketches-java 6.x has no module descriptor nor Automatic-Module-Name: this is the name the
  // JDK derives from its file name (see docs/api.md).
  requires datasketches.java;
  requires org.apache.datasketches.memory;
  requires org.slf4j;

  exports io.airgap.drift;
  exports io.airgap.drift.monitor;
}
