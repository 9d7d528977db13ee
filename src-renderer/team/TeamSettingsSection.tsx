import { useEffect, useState } from 'react';
import type { TeamView } from '../../src-shared/ipc/team';
import { TeamSettings } from './ask-human/AskHumanApp';
import { errorText, sidekick } from '../common/bridge';
import { UsageSharingOption } from './UsageSharingOption';

/** Settings → Team: the team server you joined (role, notifications, leave), or the way to join one. */
export function TeamSettingsSection() {
  const [view, setView] = useState<TeamView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    const bridge = sidekick();
    bridge.invoke('team:get-state', {}).then(setView, (error) => setProblem(errorText(error)));
    return bridge.on('team:state', setView);
  }, []);
  return (
    <form className="team-settings-form" aria-label="Team" onSubmit={(event) => event.preventDefault()}>
      <fieldset>
        <legend>Team</legend>
        {problem && <p role="alert">{problem}</p>}
        {view?.joined ? (
          <>
            <TeamSettings view={view} />
            <UsageSharingOption />
          </>
        ) : (
          <p>
            Not in a team on this computer. Ask your team's admin for an invite link, then{' '}
            <button
              type="button"
              onClick={() => void sidekick().invoke('overlay:open-window', { window: 'ask-human' })}
            >
              Join a team…
            </button>
          </p>
        )}
      </fieldset>
    </form>
  );
}
