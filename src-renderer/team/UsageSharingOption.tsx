import { useEffect, useState } from 'react';
import { errorText, sidekick } from '../common/bridge';
import './UsageSharingOption.css';

/**
 * Settings → Team: "Share anonymous usage with my team" (off until the person turns it on), saved at once,
 * with what is sent and what never is.
 */
export function UsageSharingOption() {
  const [share, setShare] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    sidekick()
      .invoke('settings:get', {})
      .then(
        (loaded) => setShare(loaded.settings.team.shareUsage),
        (error) => setProblem(errorText(error)),
      );
  }, []);
  const change = async (value: boolean): Promise<void> => {
    setShare(value);
    const result = await sidekick().invoke('settings:update', { patch: { team: { shareUsage: value } } });
    if (!result.ok) {
      setShare(!value);
      setProblem(result.problem);
    }
  };
  if (share === null) return problem ? <p role="alert">{problem}</p> : null;
  return (
    <div className="usage-sharing">
      <label>
        <input
          type="checkbox"
          checked={share}
          onChange={(event) => void change(event.target.checked)}
          aria-describedby="usage-sharing-what"
          data-testid="share-usage"
        />{' '}
        Share anonymous usage with my team
      </label>
      <p id="usage-sharing-what" className="usage-sharing-what">
        Helps your helpers see where people get stuck and which walkthroughs to write. Sent to your team server:
        questions no walkthrough answered (emails, numbers, keys and passwords hidden first), and the step at which a
        walkthrough was finished or closed, with the app's name. Never screenshots or screen text, and your team's
        insights never say who sent what. Turning it off deletes what was not sent yet.
      </p>
      {problem && <p role="alert">{problem}</p>}
    </div>
  );
}
