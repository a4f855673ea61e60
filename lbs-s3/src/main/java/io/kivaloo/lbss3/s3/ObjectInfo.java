package io.kivaloo.lbss3.s3;

/**
 * One entry of a listing.
 *
 * @param key  the full key
 * @param size the object's length in bytes
 */
public record ObjectInfo(String key, long size) {
}
