package io.kivaloo.proto.client;

import io.kivaloo.proto.wire.ProtocolException;

/** Turns a response record into a typed answer; a malformed record fails the connection. */
@FunctionalInterface
public interface ResponseDecoder<T> {
    T decode(byte[] record) throws ProtocolException;
}
