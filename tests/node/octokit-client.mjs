// Drives the real @octokit/rest client against a running simulator and prints what it saw
// as JSON. Usage: node octokit-client.mjs BASE_URL TOKEN ORG
// Run by tests/simulator/test_octokit.py, which checks the output and the simulator's state.
import { Octokit } from "@octokit/rest";

const [baseUrl, token, org] = process.argv.slice(2);
const octokit = new Octokit({ auth: token, baseUrl, userAgent: "simulator-octokit-test" });

async function seatLogins() {
  const logins = [];
  let pages = 0;
  let totalSeats = null;
  const pagesOf = octokit.paginate.iterator("GET /orgs/{org}/copilot/billing/seats", {
    org,
    per_page: 2,
  });
  for await (const response of pagesOf) {
    pages += 1;
    totalSeats = response.data.total_seats;
    for (const seat of response.data.seats) {
      logins.push(seat.assignee.login);
    }
  }
  return { logins, pages, totalSeats };
}

const before = await seatLogins();
const addedUsers = await octokit.rest.copilot.addCopilotSeatsForUsers({
  org,
  selected_usernames: ["octo-admin"],
});
const removedUsers = await octokit.rest.copilot.cancelCopilotSeatAssignmentForUsers({
  org,
  selected_usernames: ["carol"],
});
const removedTeams = await octokit.rest.copilot.cancelCopilotSeatAssignmentForTeams({
  org,
  selected_teams: ["engineering"],
});
const addedTeams = await octokit.rest.copilot.addCopilotSeatsForTeams({
  org,
  selected_teams: ["engineering"],
});
const billing = await octokit.rest.copilot.getCopilotOrganizationDetails({ org });
const seat = await octokit.rest.copilot.getCopilotSeatDetailsForUser({ org, username: "alice" });
let refused = null;
try {
  await octokit.rest.copilot.cancelCopilotSeatAssignmentForUsers({
    org,
    selected_usernames: ["bob"],
  });
} catch (error) {
  refused = { status: error.status, message: error.response?.data?.message ?? null };
}
const after = await seatLogins();

console.log(
  JSON.stringify({
    before,
    added_users: { status: addedUsers.status, data: addedUsers.data },
    removed_users: { status: removedUsers.status, data: removedUsers.data },
    removed_teams: { status: removedTeams.status, data: removedTeams.data },
    added_teams: { status: addedTeams.status, data: addedTeams.data },
    billing: { status: billing.status, data: billing.data },
    seat_team: seat.data.assigning_team?.slug ?? null,
    refused,
    after,
  }),
);
