/**
 * airgap offline-deps: the lockfile, artifact sources (Maven and OCI repositories, Hugging Face
 * caches, directories), the offline resolver, signed bundles carried across the gap and the content
 * store that receives them.
 */
module io.airgap.deps {
  requires transitive io.airgap.core;
  requires java.net.http;
  requires org.apache.commons.compress;
  requires org.slf4j;

  exports io.airgap.deps;
}
