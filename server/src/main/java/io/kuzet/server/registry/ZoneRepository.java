package io.kuzet.server.registry;

import io.kuzet.geofence.zone.GeoJsonZoneReader;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The one write path for zones, used by the API and the provisioning import (batched there). Every zone is read by
 * the geofence module's {@link GeoJsonZoneReader} before it is stored, so the evaluation core never meets a zone it
 * cannot build. Also answers which agency owns a zone, so a rule only uses zones of its order's agency. Not
 * thread-safe (one per {@link RegistryWrites}).
 */
public final class ZoneRepository {
    /** The kind stored when none is given ({@code kind} is free text: AREA, RESIDENCE, EXCLUSION_AREA...). */
    public static final String DEFAULT_KIND = "AREA";
    private static final String INSERT = "insert into zones (agency_id, name, kind, geojson) values (?, ?, ?, ?::jsonb)";

    private final Statements statements;
    private final Statements.Batch upserts;
    /** Zone id to owning agency, for zones this change has looked up. */
    private final Map<Long, Long> agencies = new HashMap<>();

    ZoneRepository(Statements statements) {
        this.statements = statements;
        this.upserts = statements.batch(INSERT
                + " on conflict (agency_id, name) do update set kind = excluded.kind, geojson = excluded.geojson");
    }

    /**
     * A zone as written; checked on construction. {@code geoJson}: a GeoJSON Feature or geometry (WGS84) the
     * geofence module accepts. {@code kind} null: {@link #DEFAULT_KIND} for a new zone, unchanged on an update.
     */
    public record Zone(long agencyId, String name, String kind, String geoJson) {
        public Zone {
            name = Checks.text("name", name, 200);
            kind = Checks.optionalText("kind", kind, 64);
            if (geoJson == null) {
                throw RegistryRefusal.invalid("'geojson' is required: a GeoJSON Feature or geometry object");
            }
            try {
                GeoJsonZoneReader.read(name, geoJson);
            } catch (IllegalArgumentException e) { // GeofenceValidationException and JSON syntax errors
                throw RegistryRefusal.invalid("invalid zone: " + e.getMessage());
            }
        }

        String kindOrDefault() {
            return kind == null || kind.isEmpty() ? DEFAULT_KIND : kind;
        }
    }

    /** Inserts a new zone; a name in use in the agency is the database's unique violation. */
    public long create(Zone z) throws SQLException {
        long id = statements.id(INSERT + " returning id", z.agencyId(), z.name(), z.kindOrDefault(), z.geoJson());
        agencies.put(id, z.agencyId());
        return id;
    }

    /** Replaces the name, outline and (when given) kind of zone {@code id}; the agency stays. */
    public void update(long id, Zone z) throws SQLException {
        statements.update("update zones set name = ?, kind = coalesce(?, kind), geojson = ?::jsonb where id = ?",
                z.name(), z.kind(), z.geoJson(), id);
    }

    /** Inserts or updates the zone of that name in a batch, sent when full or by {@link RegistryWrites#flush()}. */
    public void upsert(String label, Zone z) throws SQLException {
        upserts.add(label, z.agencyId(), z.name(), z.kindOrDefault(), z.geoJson());
    }

    /** The id of the agency's zone of that name, or 0. */
    public long idByName(long agencyId, String name) throws SQLException {
        long id = statements.first(0, "select id from zones where agency_id = ? and name = ?", agencyId, name);
        if (id != 0) {
            agencies.put(id, agencyId);
        }
        return id;
    }

    /** The agency owning zone {@code id}, or 0 when there is none. */
    public long agencyOf(long id) throws SQLException {
        Long known = agencies.get(id);
        if (known == null) {
            known = statements.first(0, "select agency_id from zones where id = ?", id);
            agencies.put(id, known);
        }
        return known;
    }
}
