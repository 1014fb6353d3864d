// What each staff role may do in the back office, as docs/permissions.md says. The page hides what a
// role may not do; the server refuses it anyway (forbidden), so this only keeps the screens honest.
const INSTALLATION = (user) => user.allCommunities === true;

export const may = {
  manageCommunity: (u) => ['admin', 'operator'].includes(u.role),
  createCommunity: (u) => u.role === 'operator' || (u.role === 'admin' && INSTALLATION(u)),
  manageRooms: (u) => u.role === 'admin',
  roomControls: (u) => ['admin', 'moderator'].includes(u.role),
  issueInvites: (u) => u.role === 'admin',
  manageStaff: (u) => ['admin', 'operator'].includes(u.role),
  createAdmins: (u) => u.role === 'admin' && INSTALLATION(u),
  moderate: (u) => ['admin', 'moderator'].includes(u.role),
  liveNumbers: (u) => ['admin', 'moderator', 'operator'].includes(u.role),
  readAudit: (u) => ['admin', 'operator'].includes(u.role),
  operate: (u) => u.role === 'operator' || (u.role === 'admin' && INSTALLATION(u)),
};

/** The roles a staff member may give a new account (an admin only by an installation admin). */
export function creatableRoles(u) {
  const roles = ['peer_expert', 'professional', 'moderator'];
  if (may.createAdmins(u)) roles.push('admin');
  if (u.role === 'operator' || may.createAdmins(u)) roles.push('operator');
  return roles;
}
