package io.kuzet.server.registry;

import java.sql.SQLException;

/**
 * The one write path for subjects, used by the API and the provisioning import (batched there). Not thread-safe (one
 * per {@link RegistryWrites}).
 */
public final class SubjectRepository {
    private static final String INSERT =
            "insert into subjects (agency_id, external_case_id, display_name, pre_trial, phone, officer_name, officer_phone)"
                    + " values (?, ?, ?, ?, ?, ?, ?)";

    private final Statements statements;
    private final Statements.Batch upserts;

    SubjectRepository(Statements statements) {
        this.statements = statements;
        this.upserts = statements.batch(INSERT + """
                 on conflict (agency_id, external_case_id) do update set display_name = excluded.display_name,
                    pre_trial = excluded.pre_trial, phone = excluded.phone, officer_name = excluded.officer_name,
                    officer_phone = excluded.officer_phone""");
    }

    /**
     * A subject as written; checked on construction. The subject's phone and the assigned officer's name and phone are
     * optional (shown to operators in the subject profile).
     */
    public record Subject(long agencyId, String externalCaseId, String displayName, boolean preTrial, String phone,
            String officerName, String officerPhone) {
        public Subject {
            externalCaseId = Checks.text("externalCaseId", externalCaseId, 100);
            displayName = Checks.text("displayName", displayName, 200);
            phone = Checks.optionalText("phone", phone, 50);
            officerName = Checks.optionalText("officerName", officerName, 200);
            officerPhone = Checks.optionalText("officerPhone", officerPhone, 50);
        }
    }

    /** Inserts a new subject; a case id in use in the agency is the database's unique violation. */
    public long create(Subject s) throws SQLException {
        return statements.id(INSERT + " returning id", args(s));
    }

    /**
     * Inserts or updates the subject of that case id in a batch, sent when full or by {@link RegistryWrites#flush()}.
     *
     * @param label names the entry if the database refuses the row
     */
    public void upsert(String label, Subject s) throws SQLException {
        upserts.add(label, args(s));
    }

    private static Object[] args(Subject s) {
        return new Object[] {s.agencyId(), s.externalCaseId(), s.displayName(), s.preTrial(), s.phone(), s.officerName(),
            s.officerPhone()};
    }
}
