// The alternative most tools use: @octokit/rest with paginate.iterator over the seat list.
//   node benchmarks/octokit_read.mjs URL TOKEN ORG seats   -- the seat list only
//   node benchmarks/octokit_read.mjs URL TOKEN ORG same    -- the same reads as our plan
import { Octokit } from "@octokit/rest";

const [baseUrl, token, org, mode] = process.argv.slice(2);
const octokit = new Octokit({ auth: token, baseUrl });

const seats = new Map();
for await (const response of octokit.paginate.iterator("GET /orgs/{org}/copilot/billing/seats", {
  org,
  per_page: 100,
})) {
  // paginate normalizes list answers to an array; older versions hand back the raw object.
  const page = Array.isArray(response.data) ? response.data : response.data.seats;
  for (const seat of page) seats.set(seat.assignee.login.toLowerCase(), seat);
}
if (mode === "same") {
  await octokit.request("GET /orgs/{org}/copilot/billing", { org });
  const teams = new Set();
  for (const seat of seats.values()) if (seat.assigning_team) teams.add(seat.assigning_team.slug);
  for (const team_slug of teams) {
    await octokit.paginate("GET /orgs/{org}/teams/{team_slug}/members", { org, team_slug, per_page: 100 });
  }
  await octokit.request("GET /orgs/{org}/copilot/content_exclusion", { org });
}
console.log(JSON.stringify({ seats: seats.size }));
