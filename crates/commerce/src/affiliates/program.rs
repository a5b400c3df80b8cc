//! Joining the program: applications, invitations, and staff's decisions.
