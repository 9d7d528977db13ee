import { useState } from 'react';
import { errorText, sidekick } from '../../common/bridge';

/** "Show me on screen": starts playing a library walkthrough on the help session's window. */
export function StartWalkthroughButton({ walkthroughId }: { walkthroughId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const start = async () => {
    setProblem(null);
    try {
      const result = await sidekick().invoke('walkthroughs:player-start', { id: walkthroughId });
      if (!result.ok) setProblem(result.problem);
    } catch (error) {
      setProblem(errorText(error));
    }
  };
  return (
    <>
      <button type="button" className="primary" onClick={() => void start()}>
        Show me on screen
      </button>
      {problem && <p role="alert">{problem}</p>}
    </>
  );
}
