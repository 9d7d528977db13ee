/** The page for a feature that has not landed yet: says so plainly, offers what works today. */
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './Placeholder.css';
import { Placeholder } from './Placeholder';

createRoot(document.getElementById('root')!).render(<Placeholder feature={document.body.dataset.feature ?? 'feature'} />);
