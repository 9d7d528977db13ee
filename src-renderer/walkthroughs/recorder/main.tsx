/** The recorder window: capture the window, click the control on the frozen picture, describe the step, save. */
import { createRoot } from 'react-dom/client';
import '../../common/base.css';
import { RecorderApp } from './RecorderApp';

createRoot(document.getElementById('root')!).render(<RecorderApp />);
