/** The settings window. */
import { createRoot } from 'react-dom/client';
import '../common/base.css';
import './SettingsApp.css';
import { SettingsApp } from './SettingsApp';

createRoot(document.getElementById('root')!).render(<SettingsApp />);
