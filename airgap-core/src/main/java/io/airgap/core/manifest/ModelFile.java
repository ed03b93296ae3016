package io.airgap.core.manifest;

import java.nio.file.Path;

/**
 * One regular file of a model.
 *
 * @param name the POSIX relative name recorded in the manifest
 * @param path where the bytes are read from (for an allowed symlink, the link itself)
 * @param size the size in bytes when the model was listed
 */
public record ModelFile(String name, Path path, long size) {}
