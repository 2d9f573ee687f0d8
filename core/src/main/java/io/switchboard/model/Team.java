package io.switchboard.model;

import java.util.List;

/**
 * A group of agents that conversations can be assigned to.
 *
 * @param id the team id
 * @param accountId the account
 * @param name the team name, unique in the account
 * @param description a free description, may be null
 * @param memberIds the users in the team
 */
public record Team(long id, long accountId, String name, String description, List<Long> memberIds) {
  public Team {
    Values.require(name, "name");
    memberIds = Values.copy(memberIds);
  }
}
