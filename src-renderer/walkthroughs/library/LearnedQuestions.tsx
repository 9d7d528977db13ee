import { useEffect, useState } from 'react';
import { errorText, sidekick } from '../../common/bridge';

/**
 * The questions a walkthrough learned from use (people asked them, then picked this walkthrough),
 * each with a Remove button. Renders nothing while there are none.
 */
export function LearnedQuestions({ id }: { id: string }) {
  const [questions, setQuestions] = useState<string[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    sidekick()
      .invoke('walkthroughs:learned', { id })
      .then((result) => live && setQuestions(result.questions))
      .catch((error) => live && setProblem(errorText(error)));
    return () => {
      live = false;
    };
  }, [id]);

  const remove = async (question: string) => {
    setProblem(null);
    try {
      const result = await sidekick().invoke('walkthroughs:forget', { id, question });
      if (result.ok) setQuestions(result.questions);
      else setProblem(result.problem);
    } catch (error) {
      setProblem(errorText(error));
    }
  };

  if (questions.length === 0 && !problem) return null;
  return (
    <section className="editor-learned" aria-label="Learned questions">
      <h3>Learned from use</h3>
      <p className="editor-note">
        People asked these, then picked this walkthrough. Search counts them like the questions above.
      </p>
      <ul>
        {questions.map((q) => (
          <li key={q}>
            <span>{q}</span>
            <button type="button" aria-label={`Remove learned question “${q}”`} onClick={() => void remove(q)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {problem && <p role="alert">{problem}</p>}
    </section>
  );
}
