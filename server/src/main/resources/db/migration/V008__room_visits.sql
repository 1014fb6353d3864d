-- Who came into which room on which day, for the anonymised figures' "members" and "sessions"
-- (issue 10): a member who reads without writing is counted too. One row per member, room and
-- day (Europe/Amsterdam), with the number of sessions: a session starts when the member joins the
-- room after 30 minutes without joining it (a reconnect within that time is the same session).
-- No time finer than a day, no connection or address. Written by each node once a minute in one
-- statement (figures.Visits), never on the join's path; deleted with the community's messages by
-- the retention job (the messages already show the same member in the same room).
CREATE TABLE room_visits (
    room_id    bigint NOT NULL REFERENCES rooms (id),
    day        date NOT NULL,
    member_id  bigint NOT NULL REFERENCES users (id),
    sessions   integer NOT NULL CHECK (sessions > 0),
    PRIMARY KEY (room_id, day, member_id)
);
