package io.kuzet.server.store;

/** The two time-series tables, with the column they are partitioned (or chunked) on. */
public enum TimeSeriesTable {
    POSITIONS("positions", "fix_time"),
    DEVICE_EVENTS("device_events", "event_time");

    private final String tableName;
    private final String timeColumn;

    TimeSeriesTable(String tableName, String timeColumn) {
        this.tableName = tableName;
        this.timeColumn = timeColumn;
    }

    public String tableName() {
        return tableName;
    }

    public String timeColumn() {
        return timeColumn;
    }

    /** Plain layout: the partition catching rows for which no daily partition exists. */
    String defaultPartition() {
        return tableName + "_default";
    }
}
