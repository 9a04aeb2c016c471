package io.kuzet.server.store;

/** The storage suite on the embedded plain PostgreSQL (daily partitions). Always runs. */
class PlainPostgresStorageTest extends StorageContract {
    @Override
    Database database() {
        return SharedPostgres.database();
    }
}
