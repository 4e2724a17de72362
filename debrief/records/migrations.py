"""Schema migrations, applied in order; `PRAGMA user_version` records the last one applied."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the interview history itself.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta (key, value) VALUES ('revision', '0');
    CREATE TABLE interviews (
        id INTEGER PRIMARY KEY,
        company TEXT NOT NULL,
        role TEXT NOT NULL,
        stage TEXT NOT NULL DEFAULT '',
        held_at TEXT NOT NULL,
        format TEXT NOT NULL,
        outcome TEXT NOT NULL,
        next_interview_at TEXT,
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE interviewers (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        email TEXT,
        topics TEXT NOT NULL DEFAULT '[]',
        questions TEXT NOT NULL DEFAULT '[]',
        rapport_notes TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX interviewers_by_interview ON interviewers(interview_id);
    CREATE TABLE stumbles (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        interviewer_id INTEGER REFERENCES interviewers(id) ON DELETE SET NULL,
        question TEXT NOT NULL,
        what_i_said TEXT NOT NULL DEFAULT '',
        what_i_wish TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX stumbles_by_interview ON stumbles(interview_id);
    CREATE TABLE reflections (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL UNIQUE REFERENCES interviews(id) ON DELETE CASCADE,
        unprepared_question TEXT NOT NULL DEFAULT '',
        work_history TEXT NOT NULL DEFAULT '',
        rapport TEXT NOT NULL DEFAULT '',
        company_knowledge TEXT NOT NULL DEFAULT '',
        narrative_stall TEXT NOT NULL DEFAULT '',
        free_text TEXT NOT NULL DEFAULT '',
        cause_tags TEXT NOT NULL DEFAULT '[]',
        confidence INTEGER NOT NULL CHECK (confidence BETWEEN 1 AND 5),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE company_research (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER REFERENCES interviews(id) ON DELETE CASCADE,
        company TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        source_kind TEXT NOT NULL,
        text TEXT NOT NULL,
        fetched_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX research_by_interview ON company_research(interview_id);
    """,
    # 2: what Debrief writes: drafts with their earlier versions, and action plans.
    """
    CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL REFERENCES interviews(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        interviewer_id INTEGER REFERENCES interviewers(id) ON DELETE SET NULL,
        prompt_name TEXT NOT NULL,
        prompt_version INTEGER NOT NULL,
        prompt_hash TEXT NOT NULL,
        model_id TEXT NOT NULL,
        text TEXT NOT NULL,
        checks TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX drafts_by_interview ON drafts(interview_id);
    CREATE TABLE draft_versions (
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (draft_id, version)
    );
    CREATE TABLE action_plans (
        id INTEGER PRIMARY KEY,
        interview_id INTEGER NOT NULL UNIQUE REFERENCES interviews(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE plan_steps (
        id INTEGER PRIMARY KEY,
        plan_id INTEGER NOT NULL REFERENCES action_plans(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        action TEXT NOT NULL,
        due_date TEXT NOT NULL,
        done_when TEXT NOT NULL,
        cause TEXT NOT NULL,
        done INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX steps_by_plan ON plan_steps(plan_id, position);
    """,
    # 3: a draft's subject apart from its body. Notes were stored as "Subject: …\n\nbody".
    """
    ALTER TABLE drafts ADD COLUMN subject TEXT NOT NULL DEFAULT '';
    ALTER TABLE draft_versions ADD COLUMN subject TEXT NOT NULL DEFAULT '';
    UPDATE drafts
       SET subject = trim(substr(text, 9, instr(text, char(10)) - 9)),
           text = trim(substr(text, instr(text, char(10)) + 1), char(10, 13, 32, 9))
     WHERE substr(text, 1, 8) = 'Subject:' AND instr(text, char(10)) > 0;
    UPDATE draft_versions
       SET subject = trim(substr(text, 9, instr(text, char(10)) - 9)),
           text = trim(substr(text, instr(text, char(10)) + 1), char(10, 13, 32, 9))
     WHERE substr(text, 1, 8) = 'Subject:' AND instr(text, char(10)) > 0;
    ALTER TABLE drafts RENAME COLUMN text TO body;
    ALTER TABLE draft_versions RENAME COLUMN text TO body;
    """,
    # 4: the candidate's own lines about an interviewer's conversation (what stuck, what to add).
    """
    ALTER TABLE interviewers ADD COLUMN takeaways TEXT NOT NULL DEFAULT '[]';
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
