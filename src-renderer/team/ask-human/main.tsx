/** The "Ask a human" window. */
import { createRoot } from 'react-dom/client';
import '../../common/base.css';
import './AskHumanApp.css';
import { AskHumanApp } from './AskHumanApp';

createRoot(document.getElementById('root')!).render(<AskHumanApp />);
