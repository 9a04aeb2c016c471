package io.kuzet.server.command;

import java.time.Instant;

/**
 * One stored command (a row of {@code device_commands}). {@code id} is also the command id on the wire (Kuzet
 * commandId, GT06 server flag); {@code result} is the device's answer text or why the command ended.
 */
public record DeviceCommand(long id, long deviceId, long subjectId, String protocol, CommandKind kind, long argument,
                            CommandOrigin origin, String requestedBy, String reason, long alertId, CommandState state,
                            Instant createdAt, Instant expiresAt, Instant sentAt, int attempts, Instant finishedAt,
                            String result) {
}
